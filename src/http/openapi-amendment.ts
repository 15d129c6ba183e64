import type { OpenAPIObject } from '@nestjs/swagger';

/**
 * A capability's own changes to the API description, applied once when it is built: an identity
 * mode's security schemes and the routes it does not offer (src/auth/oidc). Exactly one provider:
 * each identity mode's module gives one.
 */
export abstract class OpenApiAmendment {
  abstract amend(document: OpenAPIObject): OpenAPIObject;
}

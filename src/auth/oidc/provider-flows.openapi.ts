import { Inject, Injectable } from '@nestjs/common';
import type { OpenAPIObject, SecuritySchemeObject } from '@nestjs/swagger';
import { OpenApiAmendment } from '../../http/openapi-amendment.js';
import { BUILT_IN_IDENTITY_EXTENSION } from '../built-in-identity-route.decorator.js';
import { OIDC_SETTINGS } from './oidc.tokens.js';
import type { OidcSettings } from './oidc-settings.js';
import { discoveryUrl } from './provider-metadata.js';
import { ProviderKeys } from './provider-keys.js';

/** The security scheme's name in the document; operations that take a bearer token accept it too. */
export const PROVIDER_SCHEME = 'provider';

/**
 * /docs in OIDC mode: Keel's own register and login are left out, and a security scheme describes
 * the provider's OAuth 2 flows (its endpoints from discovery) so Swagger UI can get a token from it.
 * When discovery has not succeeded yet, an `openIdConnect` scheme lets Swagger UI discover them.
 */
@Injectable()
export class ProviderFlowsInDocs extends OpenApiAmendment {
  constructor(
    @Inject(OIDC_SETTINGS) private readonly settings: OidcSettings,
    private readonly keys: ProviderKeys,
  ) {
    super();
  }

  amend(document: OpenAPIObject): OpenAPIObject {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if ((operation as Record<string, unknown>)[BUILT_IN_IDENTITY_EXTENSION]) {
          delete (item as Record<string, unknown>)[method];
        }
      }
      if (Object.keys(item).length === 0) delete document.paths[path];
      for (const operation of Object.values(item) as { security?: Record<string, string[]>[] }[]) {
        if (operation.security?.some((requirement) => 'bearer' in requirement)) {
          operation.security.push({ [PROVIDER_SCHEME]: [] });
        }
      }
    }
    document.components ??= {};
    document.components.securitySchemes = {
      ...document.components.securitySchemes,
      [PROVIDER_SCHEME]: this.scheme(),
    };
    return document;
  }

  private scheme(): SecuritySchemeObject {
    const description = `Tokens from ${this.settings.issuer} for the audience ${this.settings.audience}.`;
    const { token_endpoint: tokenUrl, authorization_endpoint: authorizationUrl } =
      this.keys.known ?? {};
    if (!tokenUrl) {
      return {
        type: 'openIdConnect',
        openIdConnectUrl: discoveryUrl(this.settings.issuer),
        description,
      };
    }
    return {
      type: 'oauth2',
      description,
      flows: {
        clientCredentials: { tokenUrl, scopes: {} },
        ...(authorizationUrl
          ? { authorizationCode: { authorizationUrl, tokenUrl, scopes: {} } }
          : {}),
      },
    };
  }
}

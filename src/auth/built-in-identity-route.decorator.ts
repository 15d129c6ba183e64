import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const BUILT_IN_IDENTITY_ROUTE = 'keel:built-in-identity-route';
/** Marks the operations in the OpenAPI document, so another identity mode can leave them out. */
export const BUILT_IN_IDENTITY_EXTENSION = 'x-keel-built-in-identity';

/**
 * Routes that exist only with Keel's own accounts (register, login): an identity mode that hands
 * sign-in to someone else (src/auth/oidc) answers them 404 and leaves them out of /docs.
 */
export const BuiltInIdentityRoute = (): ClassDecorator & MethodDecorator =>
  applyDecorators(
    SetMetadata(BUILT_IN_IDENTITY_ROUTE, true),
    ApiExtension(BUILT_IN_IDENTITY_EXTENSION, true),
  );

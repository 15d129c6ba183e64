import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'keel:public';

/**
 * Who a public route serves. `anonymous`: everyone alike, a token is not looked at.
 * `token-optional`: everyone, and a caller who sends a token is known by it (it must then be
 * valid: a 401 otherwise), for routes that show an admin more (OptionalActor).
 */
export type PublicAccess = 'anonymous' | 'token-optional';

/** Opts a controller or a single handler out of authentication (every route needs a token otherwise). */
export const Public = (access: PublicAccess = 'anonymous'): MethodDecorator & ClassDecorator =>
  SetMetadata(IS_PUBLIC, access);

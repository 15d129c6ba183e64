import { SetMetadata } from '@nestjs/common';

export const AUTH_RATE_LIMITED = 'keel:auth-rate-limited';

/** Credential endpoints: limited per client address to AUTH_RATE_LIMIT_PER_MINUTE. */
export const AuthRateLimit = (): MethodDecorator & ClassDecorator =>
  SetMetadata(AUTH_RATE_LIMITED, true);

import type { DynamicModule, Type } from '@nestjs/common';
import { BuiltInIdentityModule } from './auth/built-in-identity.module.js';
import { OidcModule } from './auth/oidc/oidc.module.js';
import { AccountsModule } from './modules/accounts/accounts.module.js';

/**
 * Who vouches for callers, chosen here and nowhere else (decision 0165): Keel's own accounts, or
 * the team's OpenID provider when OIDC_ISSUER is set. Read when the app module loads, which main.ts
 * does only once the environment (with `.env`) is complete.
 */
export function identityMode(env: NodeJS.ProcessEnv = process.env): Type | DynamicModule {
  return env.OIDC_ISSUER ? OidcModule.forAccounts(AccountsModule) : BuiltInIdentityModule;
}

import { Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { createSecretKey } from 'node:crypto';
import type { AppConfig } from '../config/config.module.js';
import { OpenApiAmendment } from '../http/openapi-amendment.js';
import { AccessTokenClaims } from './access-token-claims.js';
import { TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from './access-tokens.js';
import { TokenVerifier } from './token-verifier.js';

/** Built-in accounts: Keel verifies the tokens it signs itself, with JWT_SECRET (HS256). */
export function builtInTokenVerifier(secret: string, clockSkewSeconds: number): TokenVerifier {
  // A key object, built once: not the string on every verification (bench/README.md).
  const key = createSecretKey(Buffer.from(secret));
  return new TokenVerifier(() => key, {
    algorithms: [TOKEN_ALGORITHM],
    issuer: TOKEN_ISSUER,
    audience: TOKEN_AUDIENCE,
    clockSkewSeconds,
  });
}

/** The default identity mode: accounts registered and logged in with Keel itself. */
@Global()
@Module({
  providers: [
    {
      provide: AccessTokenClaims,
      inject: [ConfigService],
      useFactory: (config: AppConfig): AccessTokenClaims => {
        const verifier = builtInTokenVerifier(
          config.get('JWT_SECRET', { infer: true }),
          config.get('TOKEN_CLOCK_SKEW_SECONDS', { infer: true }),
        );
        return { read: (token) => verifier.verify(token) };
      },
    },
    // The document already describes built-in accounts: their routes and the bearer scheme.
    {
      provide: OpenApiAmendment,
      useValue: { amend: (document) => document } satisfies OpenApiAmendment,
    },
  ],
  exports: [AccessTokenClaims, OpenApiAmendment],
})
export class BuiltInIdentityModule {}

import { MikroOrmModule } from '@mikro-orm/nestjs';
import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { ThrottlerModule } from '@nestjs/throttler';
import type { AppConfig } from '../config/config.module.js';
import { AccessTokens, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from './access-tokens.js';
import { AuthenticationGuard } from './authentication.guard.js';
import { PasswordHasher } from './password-hasher.js';
import { RetentionModule } from '../retention/retention.module.js';
import { PostgresThrottlerStorage } from './rate-limit/postgres-throttler.storage.js';
import { RateLimitCounterRetention } from './rate-limit/rate-limit-counter-retention.js';
import { RateLimitCounter } from './rate-limit/rate-limit-counter.entity.js';
import { RateLimitGuard } from './rate-limit/rate-limit.guard.js';
import { rateLimitOptions } from './rate-limit/rate-limit.options.js';
import { RolesGuard } from './roles.guard.js';
import { RevocationList } from './revocation/revocation-list.js';

/** Beyond JWT_EXPIRES_IN: tokens of clocks a little ahead, and issued under a longer setting. */
const REVOCATION_MARGIN_SECONDS = 300;

@Module({
  imports: [MikroOrmModule.forFeature([RateLimitCounter]), RetentionModule],
  providers: [PostgresThrottlerStorage, RateLimitCounterRetention],
  exports: [PostgresThrottlerStorage],
})
class RateLimitStorageModule {}

/**
 * Who may call what: access tokens, password hashing, and the global guards, in order: rate
 * limits, then authentication (every route unless @Public()), then @Roles(). It knows no domain:
 * registration and login are the accounts domain's (src/modules/accounts).
 */
@Module({
  imports: [
    JwtModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: AppConfig) => ({
        // A key object, not the string: jsonwebtoken otherwise tries (and fails) to parse the string
        // as a public key and builds the key again on every verification (3x the cost, bench/README.md).
        secret: createSecretKey(Buffer.from(config.get('JWT_SECRET', { infer: true })!)),
        signOptions: {
          algorithm: TOKEN_ALGORITHM,
          issuer: TOKEN_ISSUER,
          audience: TOKEN_AUDIENCE,
          expiresIn: config.get('JWT_EXPIRES_IN', { infer: true }),
        },
      }),
    }),
    ThrottlerModule.forRootAsync({
      imports: [RateLimitStorageModule],
      inject: [ConfigService, PostgresThrottlerStorage],
      useFactory: (config: AppConfig, storage: PostgresThrottlerStorage) =>
        rateLimitOptions(
          {
            authPerMinute: config.get('AUTH_RATE_LIMIT_PER_MINUTE', { infer: true }),
            globalPerMinute: config.get('RATE_LIMIT_PER_MINUTE', { infer: true }),
          },
          storage,
        ),
    }),
  ],
  providers: [
    { provide: PasswordHasher, useFactory: () => new PasswordHasher() },
    AccessTokens,
    {
      provide: RevocationList,
      inject: [ConfigService],
      useFactory: (config: AppConfig) =>
        new RevocationList(
          (config.get('JWT_EXPIRES_IN', { infer: true }) + REVOCATION_MARGIN_SECONDS) * 1000,
        ),
    },
    { provide: APP_GUARD, useClass: RateLimitGuard },
    { provide: APP_GUARD, useClass: AuthenticationGuard },
    { provide: APP_GUARD, useClass: RolesGuard },
  ],
  exports: [AccessTokens, PasswordHasher, RevocationList],
})
export class AuthModule {}

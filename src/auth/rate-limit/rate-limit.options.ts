import type { ExecutionContext } from '@nestjs/common';
import type { ThrottlerModuleOptions, ThrottlerStorage } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { isInfrastructureRoute } from '../infrastructure-routes.js';
import { routeMetadata } from '../route-metadata.js';
import { AUTH_RATE_LIMITED } from './auth-rate-limit.decorator.js';

const MINUTE_MS = 60_000;
const authLimited = routeMetadata<boolean>(AUTH_RATE_LIMITED);

export const isAuthLimited = (context: ExecutionContext): boolean => authLimited(context) === true;

const requestOf = (context: ExecutionContext): FastifyRequest =>
  context.switchToHttp().getRequest<FastifyRequest>();

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export interface RateLimits {
  authPerMinute: number;
  /** 0 turns the global limit off. */
  globalPerMinute: number;
}

/**
 * Two named throttlers: `global` per client IP over every route but infrastructure (off by
 * default, as gateways usually do this), and `auth-ip` on @AuthRateLimit() routes.
 *
 * Credential requests are counted per client address only, never per account across addresses:
 * that counter let anyone lock an account out by failing its login from elsewhere. A budget per
 * address bounds every account-and-address pair too (docs/decisions/0022-rate-limit-storage.md).
 */
export function rateLimitOptions(
  limits: RateLimits,
  storage: ThrottlerStorage,
): ThrottlerModuleOptions {
  return {
    storage,
    setHeaders: false,
    throttlers: [
      // Absent when off: RateLimitGuard then skips every route but the credential ones outright.
      ...(limits.globalPerMinute > 0
        ? [
            {
              name: 'global',
              ttl: MINUTE_MS,
              limit: limits.globalPerMinute,
              skipIf: (context: ExecutionContext) => isInfrastructureRoute(requestOf(context)),
              // One budget per client across all routes, not one per route.
              generateKey: (_context: ExecutionContext, tracker: string) =>
                sha256(`global-${tracker}`),
            },
          ]
        : []),
      {
        name: 'auth-ip',
        ttl: MINUTE_MS,
        limit: limits.authPerMinute,
        skipIf: (context) => !isAuthLimited(context),
        // One budget per address for every credential route together, as the README promises:
        // the throttler's default key names the handler, which gave login and register one each.
        generateKey: (_context: ExecutionContext, tracker: string) => sha256(`auth-ip-${tracker}`),
      },
    ],
  };
}

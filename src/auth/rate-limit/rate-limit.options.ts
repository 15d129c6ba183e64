import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ThrottlerModuleOptions, ThrottlerStorage } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { isInfrastructureRoute } from '../infrastructure-routes.js';
import { AUTH_RATE_LIMITED } from './auth-rate-limit.decorator.js';

const MINUTE_MS = 60_000;
const reflector = new Reflector();

export const isAuthLimited = (context: ExecutionContext): boolean =>
  reflector.getAllAndOverride<boolean | undefined>(AUTH_RATE_LIMITED, [
    context.getHandler(),
    context.getClass(),
  ]) === true;

const requestOf = (context: ExecutionContext): FastifyRequest =>
  context.switchToHttp().getRequest<FastifyRequest>();

/** The account a credential request is about; the IP when the body names none. */
const accountTracker = (request: Record<string, unknown>): string => {
  const body = request.body as { email?: unknown } | undefined;
  const email = typeof body?.email === 'string' ? body.email.trim().toLowerCase() : '';
  return email ? `account:${email}` : `ip:${String(request.ip)}`;
};

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export interface RateLimits {
  authPerMinute: number;
  /** 0 turns the global limit off. */
  globalPerMinute: number;
}

/**
 * Three named throttlers: `global` per client IP over every route but infrastructure (off by
 * default, as gateways usually do this), and `auth-ip` / `auth-account` on @AuthRateLimit() routes.
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
      },
      {
        name: 'auth-account',
        ttl: MINUTE_MS,
        limit: limits.authPerMinute,
        skipIf: (context) => !isAuthLimited(context),
        getTracker: accountTracker,
      },
    ],
  };
}

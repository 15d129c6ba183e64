import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { ThrottlerRequest } from '@nestjs/throttler/dist/throttler.guard.interface.js';
import type { FastifyReply } from 'fastify';
import { RateLimitExceeded } from '../../errors/rate-limit-exceeded.js';
import {
  appendItem,
  policyItem,
  RATE_LIMIT_FIELD,
  RATE_LIMIT_POLICY_FIELD,
  remainingItem,
} from './rate-limit-fields.js';
import { isAuthLimited } from './rate-limit.options.js';

/** One settled answer for every request with nothing to count. */
const NOTHING_TO_COUNT = Promise.resolve(true);

/** @nestjs/throttler's guard, refusing through the error table (problem+json, Retry-After). */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private limitsEveryRoute = true;

  override async onModuleInit(): Promise<void> {
    await super.onModuleInit();
    this.limitsEveryRoute = this.throttlers.some((throttler) => throttler.name === 'global');
  }

  /**
   * With the global limit off (the default), only the credential routes have anything to count:
   * every other request is let through before ThrottlerGuard's loop over the throttlers and their
   * metadata (docs/decisions/0117-guards-without-per-request-work.md).
   */
  override canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.limitsEveryRoute && !isAuthLimited(context)) return NOTHING_TO_COUNT;
    return super.canActivate(context);
  }

  /**
   * ThrottlerGuard's own step for one throttler, announcing the IETF RateLimit fields instead of
   * its X-RateLimit-* headers (decision 0217): the counts come from the shared counter in
   * PostgreSQL, so every instance tells a client the same. Set before the refusal is thrown, so a
   * 429 carries them too, and so does any later answer (401, 400, 404) of a counted request.
   */
  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, throttler, blockDuration, getTracker, generateKey } = request;
    const name = throttler.name ?? 'default';
    const { req, res } = this.getRequestResponse(context);
    const tracker = await getTracker(req, context);
    const key = generateKey(context, tracker, name);
    const record = await this.storageService.increment(key, ttl, limit, blockDuration, name);
    const reply = res as FastifyReply;
    const resetSeconds = record.isBlocked ? record.timeToBlockExpire : record.timeToExpire;
    reply.header(
      RATE_LIMIT_POLICY_FIELD,
      appendItem(reply.getHeader(RATE_LIMIT_POLICY_FIELD), policyItem(name, limit, ttl / 1000)),
    );
    reply.header(
      RATE_LIMIT_FIELD,
      appendItem(
        reply.getHeader(RATE_LIMIT_FIELD),
        remainingItem(name, limit - record.totalHits, resetSeconds),
      ),
    );
    if (record.isBlocked) {
      await this.throwThrottlingException(context, { ...record, limit, ttl, key, tracker });
    }
    return true;
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new RateLimitExceeded(detail.timeToBlockExpire);
  }
}

import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { RateLimitExceeded } from '../../errors/rate-limit-exceeded.js';
import { isAuthLimited } from './rate-limit.options.js';

/** @nestjs/throttler's guard, refusing through the error table (problem+json, Retry-After). */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  /** With the global limit off (the default), most routes have nothing to count: skip the work. */
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    const globalLimitOn = this.throttlers.some((throttler) => throttler.name === 'global');
    return Promise.resolve(!globalLimitOn && !isAuthLimited(context));
  }

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new RateLimitExceeded(detail.timeToBlockExpire);
  }
}

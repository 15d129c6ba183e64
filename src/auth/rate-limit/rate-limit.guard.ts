import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { RateLimitExceeded } from '../../errors/rate-limit-exceeded.js';
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

  protected override throwThrottlingException(
    _context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    throw new RateLimitExceeded(detail.timeToBlockExpire);
  }
}

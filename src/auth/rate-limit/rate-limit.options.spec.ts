import type { ThrottlerStorage } from '@nestjs/throttler';
import { rateLimitOptions } from './rate-limit.options.js';

const options = rateLimitOptions(
  { authPerMinute: 5, globalPerMinute: 0 },
  {} as ThrottlerStorage,
) as Exclude<ReturnType<typeof rateLimitOptions>, unknown[]>;
const throttler = (name: string) => options.throttlers.find((t) => t.name === name)!;

describe('rateLimitOptions', () => {
  it('counts credential requests per client address, never per account across addresses', () => {
    // A per-account counter let a stranger lock the account's owner out (issue 9, item 14).
    expect(options.throttlers.map((t) => t.name)).toEqual(['auth-ip']);
    expect(throttler('auth-ip').getTracker).toBeUndefined();
  });

  it('limits credentials to AUTH_RATE_LIMIT_PER_MINUTE per minute', () => {
    expect(throttler('auth-ip')).toMatchObject({ limit: 5, ttl: 60_000 });
  });

  it('gives every credential route of one address the same counter', () => {
    const keyOf = (handler: string) =>
      throttler('auth-ip').generateKey!(
        {
          getClass: () => ({ name: 'AuthController' }),
          getHandler: () => ({ name: handler }),
        } as never,
        '203.0.113.7',
        'auth-ip',
      );
    expect(keyOf('login')).toBe(keyOf('register'));
  });

  it('has no global throttler at 0', () => {
    expect(options.throttlers.map((t) => t.name)).not.toContain('global');
  });

  it('limits every client per minute when RATE_LIMIT_PER_MINUTE is set', () => {
    const on = rateLimitOptions(
      { authPerMinute: 5, globalPerMinute: 100 },
      {} as ThrottlerStorage,
    ) as typeof options;
    expect(on.throttlers.find((t) => t.name === 'global')).toMatchObject({
      limit: 100,
      ttl: 60_000,
    });
  });
});

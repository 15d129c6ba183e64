import type { ExecutionContext } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { rateLimitOptions } from './rate-limit.options.js';

const options = rateLimitOptions(
  { authPerMinute: 5, globalPerMinute: 0 },
  {} as ThrottlerStorage,
) as Exclude<ReturnType<typeof rateLimitOptions>, unknown[]>;
const throttler = (name: string) => options.throttlers.find((t) => t.name === name)!;
const context = {} as ExecutionContext;

describe('rateLimitOptions', () => {
  it('counts login attempts per account whatever the letter case of the email', async () => {
    const track = throttler('auth-account').getTracker!;
    expect(await track({ ip: '1.2.3.4', body: { email: ' Ada@Example.com ' } }, context)).toBe(
      'account:ada@example.com',
    );
    expect(await track({ ip: '1.2.3.4', body: { email: 42 } }, context)).toBe('ip:1.2.3.4');
  });

  it('limits credentials to AUTH_RATE_LIMIT_PER_MINUTE per minute', () => {
    expect(throttler('auth-ip')).toMatchObject({ limit: 5, ttl: 60_000 });
    expect(throttler('auth-account')).toMatchObject({ limit: 5, ttl: 60_000 });
  });

  it('has no global throttler at 0', () => {
    expect(options.throttlers.map((t) => t.name)).toEqual(['auth-ip', 'auth-account']);
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

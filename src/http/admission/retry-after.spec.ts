import { describe, expect, it } from '@jest/globals';
import { retryAfterSeconds } from './retry-after.js';

describe('the Retry-After of a refused request', () => {
  it('is the line bound while few clients are due back', () => {
    expect(retryAfterSeconds(3, 0)).toBe(3);
    expect(retryAfterSeconds(3, 2_999)).toBe(3);
  });

  it('grows with the time needed to serve the clients already due back', () => {
    expect(retryAfterSeconds(3, 3_001)).toBe(4);
    expect(retryAfterSeconds(3, 5_000)).toBe(5);
  });

  it('is never more than twice the line bound', () => {
    expect(retryAfterSeconds(3, 6_000)).toBe(6);
    expect(retryAfterSeconds(3, 600_000)).toBe(6);
    expect(retryAfterSeconds(1, 600_000)).toBe(2);
  });
});

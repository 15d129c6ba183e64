/** A client went over a rate limit; the error table answers 429 with Retry-After. */
export class RateLimitExceeded extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('Rate limit exceeded');
    this.name = 'RateLimitExceeded';
  }
}

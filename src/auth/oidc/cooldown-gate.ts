/**
 * After a failed request to the provider, no other for `cooldownMs`: jose's own cooldown starts
 * only after a successful key-set fetch, so without this a provider that is down would get one
 * request per incoming token with an unknown `kid` (the flood it is meant to prevent).
 */
export class CooldownGate {
  private failedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly cooldownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get open(): boolean {
    return this.now() - this.failedAt >= this.cooldownMs;
  }

  failed(): void {
    this.failedAt = this.now();
  }

  succeeded(): void {
    this.failedAt = Number.NEGATIVE_INFINITY;
  }
}

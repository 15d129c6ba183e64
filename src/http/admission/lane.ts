import { ServiceOverloaded } from '../../errors/service-overloaded.js';

export interface LaneSettings {
  /** Requests of this kind that pass on at once. */
  concurrency: number;
  /** Longest one waits for its turn; then it is refused with 503 + Retry-After. */
  maxWaitMs: number;
}

/**
 * At most `concurrency` places, handed over in arrival order. Unlike the admission queue it does
 * not refuse early from a measured pace: a lane's requests are expected to wait, and early refusals
 * would only bring clients that ignore Retry-After straight back.
 */
export class Lane {
  private running = 0;
  private readonly line: (() => void)[] = [];

  constructor(private readonly settings: LaneSettings) {}

  get waiting(): number {
    return this.line.length;
  }

  /** Resolves with a place; rejects with ServiceOverloaded after `maxWaitMs` without one. */
  enter(): Promise<void> {
    if (this.running < this.settings.concurrency) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((admitted, refused) => {
      const start = (): void => {
        clearTimeout(timer);
        admitted();
      };
      const timer = setTimeout(() => {
        this.line.splice(this.line.indexOf(start), 1);
        refused(new ServiceOverloaded(Math.max(1, Math.ceil(this.settings.maxWaitMs / 1000))));
      }, this.settings.maxWaitMs);
      this.line.push(start);
    });
  }

  /** Gives a place back: the first in line takes it. */
  leave(): void {
    const next = this.line.shift();
    if (next) next();
    else this.running--;
  }
}

import { ServiceOverloaded } from '../errors/service-overloaded.js';

export interface LaneSettings {
  /** Queries of this kind that may run at once. */
  concurrency: number;
  /** Longest one waits for its turn; then it is refused with 503 + Retry-After. */
  maxWaitMs: number;
}

/**
 * A bulkhead for one kind of query that costs more than a read by key (a substring search): at
 * most `concurrency` run at once, the rest wait in arrival order, so clients that only send
 * that kind cannot fill the database pool or the event loop that everyone else needs
 * (docs/decisions/0150-search-by-trigram-index.md). One lane per process.
 */
export class QueryLane {
  private running = 0;
  private readonly line: (() => void)[] = [];

  constructor(private readonly settings: LaneSettings) {}

  get waiting(): number {
    return this.line.length;
  }

  async run<T>(query: () => Promise<T>): Promise<T> {
    if (this.running < this.settings.concurrency) this.running++;
    else await this.turn();
    try {
      return await query();
    } finally {
      this.handOver();
    }
  }

  /** Resolves when a finishing query hands its place over; rejects after `maxWaitMs`. */
  private turn(): Promise<void> {
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

  private handOver(): void {
    const next = this.line.shift();
    if (next) next();
    else this.running--;
  }
}

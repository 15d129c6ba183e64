import { Injectable } from '@nestjs/common';

/** Where the process is on its way out; readiness, the drain and the hard bound all read it. */
export type ShutdownPhase =
  'serving' | 'draining' | 'closing-http' | 'stopping-jobs' | 'closing-database';

@Injectable()
export class ShutdownState {
  private current: ShutdownPhase = 'serving';
  private markHttpClosed!: () => void;
  /** Settles once no HTTP request is in flight any more; job workers wait for it before stopping. */
  readonly httpClosed = new Promise<void>((resolve) => (this.markHttpClosed = resolve));

  get phase(): ShutdownPhase {
    return this.current;
  }

  get shuttingDown(): boolean {
    return this.current !== 'serving';
  }

  enter(phase: ShutdownPhase): void {
    this.current = phase;
    if (phase === 'stopping-jobs' || phase === 'closing-database') this.markHttpClosed();
  }

  httpDone(): void {
    this.markHttpClosed();
  }
}

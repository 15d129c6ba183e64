import { Injectable } from '@nestjs/common';

/** Where the process is on its way out; readiness, the drain and the hard bound all read it. */
export type ShutdownPhase =
  'serving' | 'draining' | 'closing-http' | 'stopping-jobs' | 'closing-database';

/** Work that must stop once HTTP has drained (job workers), given what is left of the bound. */
export type AfterHttpDrain = (remainingMs: number) => Promise<void>;

@Injectable()
export class ShutdownState {
  private current: ShutdownPhase = 'serving';
  private readonly afterHttp: AfterHttpDrain[] = [];

  get phase(): ShutdownPhase {
    return this.current;
  }

  get shuttingDown(): boolean {
    return this.current !== 'serving';
  }

  enter(phase: ShutdownPhase): void {
    this.current = phase;
  }

  /** Registers work for step 4 of the shutdown, after the HTTP drain and before the ORM closes. */
  stopAfterHttpDrain(stop: AfterHttpDrain): void {
    this.afterHttp.push(stop);
  }

  async runAfterHttpDrain(remainingMs: number): Promise<void> {
    this.enter('stopping-jobs');
    await Promise.all(this.afterHttp.map((stop) => stop(remainingMs)));
    this.enter('closing-database');
  }
}

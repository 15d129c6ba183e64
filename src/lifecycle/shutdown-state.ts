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
  private readonly beforeClose: (() => void)[] = [];

  get phase(): ShutdownPhase {
    return this.current;
  }

  get shuttingDown(): boolean {
    return this.current !== 'serving';
  }

  enter(phase: ShutdownPhase): void {
    this.current = phase;
  }

  /**
   * Registers what must end as the server stops accepting (step 3): requests whose body is still
   * arriving are answered 408 then, or the drain would wait for the slowest upload (issue 21).
   */
  beforeHttpClose(act: () => void): void {
    this.beforeClose.push(act);
  }

  /** Enters step 3: the HTTP server stops accepting, and what was registered for it runs. */
  closeHttp(): void {
    this.enter('closing-http');
    for (const act of this.beforeClose) act();
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

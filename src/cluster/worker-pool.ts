import cluster, { type Worker } from 'node:cluster';
import { SHUTDOWN } from './cluster-messages.js';
import type { PrimaryMetrics } from './primary-metrics.js';
import { primaryLog } from './primary-log.js';

/** Replacements in a row that die before serving: then the cause is the start, not bad luck. */
const START_FAILURES_TO_GIVE_UP = 3;

export interface WorkerExit {
  id: number;
  pid: number | undefined;
  code: number | null;
  signal: string | null;
}

const describeExit = (exit: WorkerExit): string =>
  `worker ${exit.id} (pid ${exit.pid}) ` +
  (exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`);

/**
 * The workers: forked with the primary's environment, replaced when one dies while serving (an
 * error line and `cluster_workers_replaced_total`), never replaced while stopping. A worker that dies
 * before it ever listened during the first start, or replacements that do so three times in a row,
 * stop the primary through `giveUp` with one line instead of a fork loop.
 */
export class WorkerPool {
  private readonly running = new Set<Worker>();
  private readonly serving = new Set<Worker>();
  private startFailuresInARow = 0;
  private started = false;
  private stopping = false;
  private readonly exits: WorkerExit[] = [];
  private allStopped?: () => void;

  constructor(
    private readonly size: number,
    private readonly metrics: PrimaryMetrics,
    private readonly giveUp: (line: string) => void,
  ) {}

  /** Resolves once every worker listens on the port. */
  start(): Promise<void> {
    cluster.on('exit', (worker, code, signal) => this.onExit(worker, code, signal));
    return new Promise((allServing) => {
      for (let i = 0; i < this.size; i++) {
        this.fork().once('listening', () => {
          if (this.serving.size === this.size && !this.started) {
            this.started = true;
            allServing();
          }
        });
      }
    });
  }

  /** Asks every worker to drain (decision 0176); resolves with how each exited. */
  stop(): Promise<WorkerExit[]> {
    this.stopping = true;
    const stopped = new Promise<WorkerExit[]>((done) => {
      this.allStopped = () => done(this.exits);
    });
    for (const worker of this.alive()) {
      if (worker.isConnected()) worker.send(SHUTDOWN);
    }
    if (this.alive().length === 0) this.allStopped?.();
    return stopped;
  }

  alive(): Worker[] {
    return [...this.running];
  }

  killAll(): void {
    this.stopping = true;
    for (const worker of this.alive()) worker.process.kill('SIGKILL');
  }

  private fork(): Worker {
    const worker = cluster.fork();
    this.running.add(worker);
    worker.once('listening', () => {
      this.serving.add(worker);
      this.startFailuresInARow = 0;
      this.metrics.workersServing.set(this.serving.size);
    });
    return worker;
  }

  private onExit(worker: Worker, code: number | null, signal: string | null): void {
    const exit = { id: worker.id, pid: worker.process.pid, code, signal };
    this.running.delete(worker);
    const served = this.serving.delete(worker);
    this.metrics.workersServing.set(this.serving.size);
    if (this.stopping) {
      this.exits.push(exit);
      if (this.alive().length === 0) this.allStopped?.();
      return;
    }
    if (!served && !this.started) {
      this.giveUp(`${describeExit(exit)} before it served: stopping`);
      return;
    }
    if (!served && ++this.startFailuresInARow >= START_FAILURES_TO_GIVE_UP) {
      this.giveUp(
        `${describeExit(exit)}: ${START_FAILURES_TO_GIVE_UP} replacement workers in a row died before they served, stopping instead of restarting them`,
      );
      return;
    }
    this.metrics.workersReplaced.inc({ cause: signal ?? `exit_${code}` });
    primaryLog('error', `${describeExit(exit)}: starting a replacement`, {
      worker: exit.id,
      workerPid: exit.pid,
    });
    this.fork();
  }
}

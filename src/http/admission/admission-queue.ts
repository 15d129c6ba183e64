import { AsyncResource } from 'node:async_hooks';

/** How one request fared at admission. */
export type AdmissionOutcome =
  /** It may run now. */
  | 'admitted'
  /** Refused on arrival: at the current pace its turn would come after `maxWaitMs`. */
  | 'too-busy'
  /** Refused after waiting `maxWaitMs` without its turn coming. */
  | 'waited-too-long'
  /** Its client left while it waited: it is not started. */
  | 'client-gone';

export interface AdmissionSettings {
  /** Requests that may run at once; the others wait in line. */
  concurrency: number;
  /** Longest a request waits for its turn before it is refused. */
  maxWaitMs: number;
}

interface Waiter {
  arrivedAt: number;
  clientGone: () => boolean;
  decide: (outcome: AdmissionOutcome) => void;
}

/** Weight of the latest request in the running mean of how long admitted requests take. */
const SMOOTHING = 0.1;

/**
 * A concurrency limit with a first-come line bounded in time, in front of the database pool.
 * A request is refused at once when the line already holds more than can be served within
 * `maxWaitMs` at the pace measured (the mean time an admitted request takes, shared among
 * `concurrency`); one that reaches `maxWaitMs` in line is refused then; one whose client left is
 * dropped when its turn comes. Why not an event-loop threshold: docs/decisions/0100-admission-control.md.
 */
export class AdmissionQueue {
  private running = 0;
  /** A FIFO: entries before `head` are gone; compacted when half of it is. */
  private line: Waiter[] = [];
  private head = 0;
  private meanServiceMs = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly settings: AdmissionSettings,
    private readonly now: () => number = performance.now.bind(performance),
  ) {}

  get waiting(): number {
    return this.line.length - this.head;
  }

  get inFlight(): number {
    return this.running;
  }

  /** Decides now (client gone, admitted, too busy) or later (admitted, waited too long, gone). */
  enter(clientGone: () => boolean, decide: (outcome: AdmissionOutcome) => void): void {
    if (clientGone()) {
      decide('client-gone');
      return;
    }
    if (this.running < this.settings.concurrency && this.waiting === 0) {
      this.running++;
      decide('admitted');
      return;
    }
    if (this.expectedWaitMs(this.waiting + 1) > this.settings.maxWaitMs) {
      decide('too-busy');
      return;
    }
    // Decided later, from the request that leaves (or the timer): bound to this request's own async
    // context, or the admitted request would run on in the leaving one's, with its trace span and
    // its log fields (a 10 % sampler recorded the SQL of nearly every request: bench/README.md).
    this.line.push({ arrivedAt: this.now(), clientGone, decide: AsyncResource.bind(decide) });
    this.timer ??= this.schedule(this.settings.maxWaitMs);
  }

  /** An admitted request finished (or its client left) after `serviceMs`: the next one may run. */
  leave(serviceMs: number): void {
    this.running--;
    this.meanServiceMs += SMOOTHING * (serviceMs - this.meanServiceMs);
    this.admitWaiting();
  }

  /** When the request `position`th in line would start at the measured pace. */
  expectedWaitMs(position: number): number {
    return (position * this.meanServiceMs) / this.settings.concurrency;
  }

  private admitWaiting(): void {
    while (this.running < this.settings.concurrency && this.waiting > 0) {
      const waiter = this.shift();
      if (waiter.clientGone()) {
        waiter.decide('client-gone');
      } else {
        this.running++;
        waiter.decide('admitted');
      }
    }
  }

  /** Refuses every request that has waited `maxWaitMs`; runs when the oldest one's time is up. */
  private expire(): void {
    this.timer = undefined;
    const deadline = this.now() - this.settings.maxWaitMs;
    while (this.waiting > 0 && this.line[this.head].arrivedAt <= deadline) {
      const waiter = this.shift();
      waiter.decide(waiter.clientGone() ? 'client-gone' : 'waited-too-long');
    }
    if (this.waiting > 0) {
      const oldest = this.line[this.head].arrivedAt;
      this.timer = this.schedule(Math.max(1, oldest + this.settings.maxWaitMs - this.now()));
    }
  }

  /** One timer for the whole line: its oldest request is always the next to run out of time. */
  private schedule(delayMs: number): NodeJS.Timeout {
    return setTimeout(() => this.expire(), delayMs).unref();
  }

  private shift(): Waiter {
    const waiter = this.line[this.head++];
    if (this.head === this.line.length) {
      this.line = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.line.length) {
      this.line = this.line.slice(this.head);
      this.head = 0;
    }
    return waiter;
  }
}

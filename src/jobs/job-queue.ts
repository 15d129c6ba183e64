import type { EntityManager } from '@mikro-orm/core';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import {
  type Job,
  type JobResult,
  type JobWithMetadata,
  PgBoss,
  type Queue,
  type QueueOptions,
} from 'pg-boss';
import { PinoLogger } from 'nestjs-pino';
import { requestLogBindings } from '../http/request-log-scope.js';
import type { AppConfig } from '../config/config.module.js';
import { ReadinessChecks } from '../health/readiness-checks.js';
import { ShutdownState } from '../lifecycle/shutdown-state.js';
import { Metrics } from '../metrics/metrics.service.js';
import { type TraceCarrier, currentTraceCarrier, linkJobToEnqueuer } from '../tracing/job-trace.js';
import { startedTracing } from '../tracing/tracing-state.js';
import { behindTransactionPooler } from '../database/direct-url.js';
import { transactionDb } from './transaction-db.js';

/**
 * Carried in every job's data: the id of the request that enqueued it, for the job's log lines,
 * and its trace context, which the job's span links to (when tracing is on).
 */
interface Traced {
  requestId?: string;
  traceContext?: TraceCarrier;
}

/**
 * What a queue's handler gets: the job's data, unchecked (a cron job's is `null`), and the job
 * with a signal aborted when the worker must stop.
 */
export type JobHandler<T> = (data: T, job: Job<T>) => Promise<void>;

export interface QueueDefinition<T> {
  name: string;
  handler: JobHandler<T>;
  /** Names the job in logs (e.g. the order id), also when it reaches the dead-letter queue. */
  describe: (data: T) => Record<string, unknown>;
  options?: QueueOptions;
  /** A recurring job: pg-boss's cron runs it once per tick across all instances. */
  cron?: string;
  /**
   * A queue with a job every few minutes: one worker that polls every 5 s rather than two every
   * 0.5 s, so that it barely adds to the fetches on pg-boss's pool of 4 connections (decision 0153).
   */
  rarelyBusy?: boolean;
}

/** What Keel sets on a queue; the same at creation and at every later start. */
type QueueSettings = Omit<Queue, 'name' | 'policy' | 'partition'>;

/** Every queue retries with exponential backoff, then parks the job in `<name>_dead_letter`. */
const RETRIES: QueueOptions = {
  retryLimit: 4,
  retryDelay: 1,
  retryBackoff: true,
  retryDelayMax: 300,
  // A job still active this long after it started is retried (e.g. its process died mid-way).
  expireInSeconds: 60,
};

/**
 * A job still waiting (created, or in retry) this long is deleted unrun: pg-boss's default, set here
 * so that it is a decision. It must exceed the longest `startAfter` Keel sends (ORDER_EXPIRY_MS);
 * the order expiry sweep is the backstop for an expiry job deleted unrun.
 */
const QUEUED_JOB_RETENTION_SECONDS = 14 * 86_400;
/**
 * How often pg-boss's maintenance deletes each queue's jobs past their retention, claimed per queue
 * so that one instance does it. Its default, 24 h, let finished jobs outlive JOB_RETENTION by a day.
 */
const MAINTENANCE_INTERVAL_SECONDS = 3600;

export interface SendOptions extends Pick<
  QueueOptions,
  'retryLimit' | 'retryDelay' | 'retryBackoff'
> {
  startAfter?: Date;
  /** An entity manager inside `em.transactional`: the job is written in that transaction. */
  transaction?: EntityManager;
}

const SCHEMA = 'pgboss';
const POLLING_INTERVAL_SECONDS = 0.5;

/**
 * Each worker fetches up to 10 jobs, runs them side by side and settles each on its own; while
 * fetches come back full it fetches again at once instead of sleeping the polling interval.
 * One job per fetch and a 0.5 s sleep capped a queue at ~4 jobs/s per process (decision 0051).
 */
const WORKER_OPTIONS = {
  batchSize: 10,
  burstWhenBatchFull: true,
  perJobResults: true,
  localConcurrency: 2,
  pollingIntervalSeconds: POLLING_INTERVAL_SECONDS,
} as const;
type WorkerOptions = Omit<typeof WORKER_OPTIONS, 'localConcurrency' | 'pollingIntervalSeconds'> & {
  localConcurrency: number;
  pollingIntervalSeconds: number;
};
const RARELY_BUSY = { localConcurrency: 1, pollingIntervalSeconds: 5 } as const;
export const DEFAULT_STOP_TIMEOUT_MS = 10_000;

const deadLetterOf = (queue: string): string => `${queue}_dead_letter`;

/**
 * The PostgreSQL-backed job queue (pg-boss) on the app's database: started and stopped with the
 * app. Features define their queues while their modules initialise; workers start once the app
 * has bootstrapped, unless JOB_WORKERS=false.
 */
@Injectable()
export class JobQueue implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly boss: PgBoss;
  private readonly queues: QueueDefinition<never>[] = [];
  private readonly runWorkers: boolean;
  /** Named prepared statements outlive a transaction: not behind a pooler (transaction-db.ts). */
  private readonly prepareStatements: boolean;
  /** pg-boss's own retention of every queue's jobs (docs/decisions/0152-retention.md). */
  private readonly retention: QueueSettings;
  private running = false;

  constructor(
    @Inject(ConfigService) config: AppConfig,
    private readonly pino: PinoLogger,
    private readonly metrics: Metrics,
    private readonly shutdown: ShutdownState,
    private readonly readiness: ReadinessChecks,
  ) {
    this.runWorkers = config.get('JOB_WORKERS', { infer: true });
    this.prepareStatements = !behindTransactionPooler({
      DATABASE_URL: config.get('DATABASE_URL', { infer: true }),
      DATABASE_DIRECT_URL: config.get('DATABASE_DIRECT_URL', { infer: true }),
    });
    this.retention = {
      deleteAfterSeconds: config.get('JOB_RETENTION', { infer: true }),
      retentionSeconds: QUEUED_JOB_RETENTION_SECONDS,
    };
    this.boss = new PgBoss({
      connectionString: config.get('DATABASE_URL', { infer: true }),
      schema: SCHEMA,
      max: 4,
      application_name: 'keel-jobs',
      maintenanceIntervalSeconds: MAINTENANCE_INTERVAL_SECONDS,
      // pg-boss's own spans (send, process, complete) with tracing on. A job's process span starts a
      // trace of its own and is linked to the enqueuing request (tracing/job-trace.ts, decision 0091).
      // Off without tracing: pg-boss would still build a no-op span, its attributes and a context
      // for every send (~1.4 % of the Node CPU of an order, decision 0140).
      openTelemetry: { enabled: startedTracing() !== undefined, propagateContext: false },
    });
    this.boss.on('error', (error) => this.logger.error({ err: error }, 'job queue error'));
  }

  /**
   * Readiness names the queue: an instance whose queue is not running takes no traffic. The
   * workers stop at step 4 of the shutdown, once HTTP has drained.
   */
  onModuleInit(): void {
    this.shutdown.stopAfterHttpDrain((remainingMs) =>
      this.stop(Math.max(0, Math.min(DEFAULT_STOP_TIMEOUT_MS, remainingMs))),
    );
    this.readiness.add(() => {
      const session = { jobs: { status: this.running ? 'up' : 'down' } } as const;
      return session;
    });
  }

  define<T>(definition: QueueDefinition<T>): void {
    this.queues.push(definition);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.boss.start();
    this.running = true;
    for (const queue of this.queues) {
      await this.ensureQueue(deadLetterOf(queue.name), { ...this.retention, retryLimit: 0 });
      await this.ensureQueue(queue.name, {
        ...this.retention,
        ...RETRIES,
        ...queue.options,
        deadLetter: deadLetterOf(queue.name),
      });
      if (queue.cron) await this.boss.schedule(queue.name, queue.cron);
    }
    if (!this.runWorkers) return;
    for (const queue of this.queues) await this.work(queue);
  }

  /**
   * Creates the queue, or brings an existing one to these options: pg-boss's createQueue leaves a
   * queue that exists as it is (`on conflict do nothing`), so without the update a database keeps
   * the options of whichever release created it first.
   */
  private async ensureQueue(name: string, options: QueueSettings): Promise<void> {
    await this.boss.createQueue(name, options);
    await this.boss.updateQueue(name, options);
  }

  /**
   * Enqueues a job. Pass `transaction` (an entity manager inside `em.transactional`) to write the
   * job in that transaction: it then exists exactly when the transaction commits.
   */
  async send<T extends object>(queue: string, data: T, options: SendOptions = {}): Promise<string> {
    const { transaction, ...rest } = options;
    const traced: T & Traced = { ...data, ...this.enqueuedBy() };
    const id = await this.boss.send(queue, traced, {
      ...rest,
      ...(transaction ? { db: transactionDb(transaction, this.prepareStatements) } : {}),
    });
    if (id === null) throw new Error(`pg-boss did not enqueue a job on ${queue}`);
    return id;
  }

  private enqueuedBy(): Traced {
    // A request's id (http/request-log-scope.ts), or the one a job handler runs under.
    const requestId =
      requestLogBindings().reqId ?? (this.pino.logger.bindings() as { reqId?: string }).reqId;
    const traceContext = currentTraceCarrier();
    return { ...(requestId ? { requestId } : {}), ...(traceContext ? { traceContext } : {}) };
  }

  /**
   * Graceful stop: fetch nothing more, give running handlers `timeoutMs` to finish (their signal is
   * aborted after that, and unfinished jobs are retried after their expiry), then close the pool.
   * pg-boss's stop() can resolve before the workers are done (pg-boss#421): wait for `stopped`.
   */
  async stop(timeoutMs = DEFAULT_STOP_TIMEOUT_MS): Promise<void> {
    if (!this.running) return;
    this.running = false;
    const stopped = new Promise<void>((resolve) => this.boss.once('stopped', () => resolve()));
    await this.boss.stop({ graceful: true, close: true, timeout: timeoutMs });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      stopped,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs + 1000))),
    ]);
    clearTimeout(timer);
  }

  /** Normally already stopped by the shutdown sequence; this covers a bare `app.close()`. */
  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  private async work<T>(queue: QueueDefinition<T>): Promise<void> {
    const options: WorkerOptions = queue.rarelyBusy
      ? { ...WORKER_OPTIONS, ...RARELY_BUSY }
      : WORKER_OPTIONS;
    await this.boss.work<T, JobResult[], WorkerOptions>(queue.name, options, (jobs) =>
      Promise.all(jobs.map((job) => this.process(queue, job))),
    );
    const deadLetters = { ...options, perJobResults: false, includeMetadata: true } as const;
    await this.boss.work(deadLetterOf(queue.name), deadLetters, (jobs: JobWithMetadata<T>[]) => {
      for (const job of jobs) this.reportDeadLetter(queue, job);
      return Promise.resolve();
    });
  }

  /**
   * Runs one job of a batch and settles it alone: a failure retries that job only, never the
   * batch it was fetched with.
   */
  private async process<T>(queue: QueueDefinition<T>, job: Job<T>): Promise<JobResult> {
    const context = { queue: queue.name, jobId: job.id, ...describeJob(queue, job.data) };
    if (job.retryCount > 0) await this.reportRetry(context, job);
    try {
      // Unchecked data (a cron job's is null): a malformed carrier links nothing.
      const traceId = linkJobToEnqueuer(((job.data ?? {}) as Traced).traceContext);
      // Every line the handler logs names the job, its trace and the request that enqueued it.
      const bindings = {
        reqId: context.requestId ?? undefined,
        traceId,
        jobId: job.id,
        queue: queue.name,
      };
      await this.pino.runInContext(() => queue.handler(job.data, job), { bindings });
      this.metrics.jobsProcessed.labels(queue.name, 'completed').inc();
      return { id: job.id, status: 'completed' };
    } catch (error) {
      this.metrics.jobsProcessed.labels(queue.name, 'failed').inc();
      this.logger.error(
        { ...context, attempt: job.retryCount + 1, err: error },
        'job failed; it is retried until its retry limit, then dead-lettered',
      );
      return { id: job.id, status: 'failed', output: { message: errorMessage(error) } };
    }
  }

  /**
   * A retried job says why its previous attempt failed. Not every failure passes through process():
   * pg-boss fails a job itself when it outlives its expiry, when its instance stops, or when the
   * statement that settles its batch fails, and retries it without a word (issue 21, item 10). The
   * reason is the output pg-boss stored on the job; read only on a retry, never on a first attempt.
   */
  private async reportRetry<T>(context: Record<string, unknown>, job: Job<T>): Promise<void> {
    const previous = await this.boss.findJobs(job.name, { id: job.id }).then(
      ([stored]) => stored?.output ?? null,
      (error: unknown) => ({ unreadable: errorMessage(error) }),
    );
    this.logger.warn(
      { ...context, attempt: job.retryCount + 1, previousAttempt: previous },
      'job retried after a failed attempt',
    );
  }

  private reportDeadLetter<T>(queue: QueueDefinition<T>, job: JobWithMetadata<T>): void {
    this.metrics.jobsProcessed.labels(queue.name, 'dead_lettered').inc();
    this.logger.error(
      {
        queue: queue.name,
        jobId: job.sourceId ?? job.id,
        deadLetterJobId: job.id,
        attempts: (job.sourceRetryCount ?? 0) + 1,
        ...describeJob(queue, job.data),
      },
      'job exhausted its retries and reached the dead-letter queue',
    );
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The request id and the queue's own description of a job, for its log lines. Data is whatever
 * was stored: `null` for a cron job (pg-boss schedules carry none) or anything an operator wrote,
 * so reading it must never throw, or the failure it reports would go unlogged.
 */
function describeJob<T>(
  queue: QueueDefinition<T>,
  data: T | null,
): { requestId: string | null } & Record<string, unknown> {
  const { requestId } = (data ?? {}) as Traced;
  let described: Record<string, unknown> = {};
  try {
    if (data !== null) described = queue.describe(data);
  } catch {
    // A payload the queue cannot describe is logged by its job id and request id alone.
  }
  return { ...described, requestId: typeof requestId === 'string' ? requestId : null };
}

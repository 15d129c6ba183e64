import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { JobQueue } from '../jobs/job-queue.js';
import { RetentionMetrics } from './retention.metrics.js';
import { type RetentionPolicy, RetentionPolicies } from './retention-policies.js';

export const RETENTION_SWEEP_QUEUE = 'retention_sweep';
/** Every 10 minutes: pg-boss's cron sends one job per tick across all instances. */
const EVERY_TEN_MINUTES = '*/10 * * * *';
/** Rows per delete statement: a backlog is deleted in short transactions, not one long one. */
export const PURGE_BATCH = 5000;

/**
 * Applies every table's retention policy (docs/decisions/0152-retention.md). A table whose purge
 * fails is logged at error and counted in retention_sweep_failures_total; the other tables are
 * still purged, and the job then fails, so jobs_processed_total counts it as failed too.
 */
@Injectable()
export class RetentionSweep implements OnModuleInit {
  private readonly logger = new Logger('Retention');

  constructor(
    private readonly queue: JobQueue,
    private readonly policies: RetentionPolicies,
    private readonly metrics: RetentionMetrics,
  ) {}

  onModuleInit(): void {
    this.queue.define<null>({
      name: RETENTION_SWEEP_QUEUE,
      handler: () => this.sweep(),
      describe: () => ({}),
      cron: EVERY_TEN_MINUTES,
      // The next tick is the retry: a failed sweep is loud, and the rows wait ten minutes.
      options: { retryLimit: 0 },
      rarelyBusy: true,
    });
  }

  async sweep(): Promise<void> {
    const failed: string[] = [];
    for (const policy of this.policies.all()) {
      try {
        const deleted = await purgeAll(policy);
        this.metrics.rowsDeleted.labels(policy.table).inc(deleted);
        this.logger.log({ table: policy.table, keeps: policy.keeps, deleted }, 'retention applied');
      } catch (error) {
        failed.push(policy.table);
        this.metrics.failures.labels(policy.table).inc();
        this.logger.error(
          { table: policy.table, err: error },
          'retention sweep failed for a table',
        );
      }
    }
    if (failed.length > 0) throw new Error(`retention sweep failed for ${failed.join(', ')}`);
  }
}

/** Purges batch after batch until one comes back short. */
async function purgeAll(policy: RetentionPolicy): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await policy.purge(PURGE_BATCH);
    total += deleted;
    if (deleted < PURGE_BATCH) return total;
  }
}

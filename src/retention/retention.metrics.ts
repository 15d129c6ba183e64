import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { Metrics } from '../metrics/metrics.service.js';

/** What the retention sweep deleted, and how often a table's purge failed (alert on the latter). */
@Injectable()
export class RetentionMetrics {
  readonly rowsDeleted: Counter<'table'>;
  readonly failures: Counter<'table'>;

  constructor(metrics: Metrics) {
    this.rowsDeleted = new Counter({
      name: 'retention_rows_deleted_total',
      help: 'Rows the retention sweep deleted, by table',
      labelNames: ['table'] as const,
      registers: [metrics.registry],
    });
    this.failures = new Counter({
      name: 'retention_sweep_failures_total',
      help: 'Retention sweeps that could not purge a table, by table',
      labelNames: ['table'] as const,
      registers: [metrics.registry],
    });
  }
}

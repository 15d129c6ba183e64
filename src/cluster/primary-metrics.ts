import { Counter, Gauge, Registry } from 'prom-client';

/** The primary's own figures, appended to the workers' aggregated scrape (cluster-metrics.ts). */
export class PrimaryMetrics {
  readonly registry = new Registry();

  readonly workersReplaced = new Counter({
    name: 'cluster_workers_replaced_total',
    help: 'Workers that died while serving (crash, kill, out of memory) and were replaced, by cause',
    labelNames: ['cause'] as const,
    registers: [this.registry],
  });

  readonly workersServing = new Gauge({
    name: 'cluster_workers_serving',
    help: 'Workers listening on the port right now (WEB_CONCURRENCY asks for how many)',
    registers: [this.registry],
  });
}

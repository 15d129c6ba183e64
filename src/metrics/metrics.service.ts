import { Injectable } from '@nestjs/common';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { perWorkerLabels, shareWithClusterPrimary } from './cluster-scrape.js';

/** The process's Prometheus registry and the metrics every module shares. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration by method, route template and status',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly httpRequestsShed = new Counter({
    name: 'http_requests_shed_total',
    help: 'Requests refused with 503 by admission control, by reason (too_busy, waited_too_long, client_gone)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly jobsProcessed = new Counter({
    name: 'jobs_processed_total',
    help: 'Background jobs by queue and outcome (completed, failed, dead_lettered)',
    labelNames: ['queue', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly readinessChanges = new Counter({
    name: 'health_readiness_changes_total',
    help: 'Times GET /health/ready changed its answer between 200 and 503',
    registers: [this.registry],
  });

  constructor() {
    // Process CPU, memory, handles, GC and event-loop lag (nodejs_eventloop_lag_*).
    collectDefaultMetrics({ register: this.registry, ...perWorkerLabels() });
    shareWithClusterPrimary(this.registry);
  }
}

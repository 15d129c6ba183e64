import { Global, Module } from '@nestjs/common';
import { DatabasePoolMetrics } from './database-pool.metrics.js';
import { MetricsController } from './metrics.controller.js';
import { Metrics } from './metrics.service.js';

/** Prometheus metrics at GET /metrics: process, event loop, HTTP, database pool, jobs. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [Metrics, DatabasePoolMetrics],
  exports: [Metrics],
})
export class MetricsModule {}

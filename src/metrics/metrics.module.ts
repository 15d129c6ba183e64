import { Global, Module } from '@nestjs/common';
import { DatabasePoolMetrics } from './database-pool.metrics.js';
import { HttpMetrics } from './http.metrics.js';
import { MetricsController } from './metrics.controller.js';
import { Metrics } from './metrics.service.js';

/** Prometheus metrics at GET /metrics: process, event loop, HTTP, database pool, jobs. */
@Global()
@Module({
  controllers: [MetricsController],
  providers: [Metrics, HttpMetrics, DatabasePoolMetrics],
  exports: [Metrics],
})
export class MetricsModule {}

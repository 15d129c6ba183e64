import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import { Metrics } from './metrics.service.js';
import { registerScrapedGauge } from './scraped-gauge.js';

/** Connection pool usage, read from the `pg` pool at scrape time. */
@Injectable()
export class DatabasePoolMetrics implements OnModuleInit {
  constructor(
    private readonly orm: MikroORM,
    private readonly metrics: Metrics,
  ) {}

  async onModuleInit(): Promise<void> {
    const pool = await this.orm.em.getConnection().getNativeClient();
    const gauge = (name: string, help: string, read: (pool: Pool) => number): void =>
      registerScrapedGauge(this.metrics.registry, name, help, () => read(pool));
    // Not `_total`: that suffix means a counter to Prometheus (promtool check metrics).
    gauge('db_pool_connections_open', 'Open connections in the database pool', (p) => p.totalCount);
    gauge('db_pool_connections_idle', 'Idle connections in the database pool', (p) => p.idleCount);
    gauge(
      'db_pool_requests_waiting',
      'Queries waiting for a pool connection',
      (p) => p.waitingCount,
    );
    gauge('db_pool_connections_max', 'Largest size of the database pool', (p) => p.options.max);
  }
}

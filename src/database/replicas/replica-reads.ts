import { MikroORM } from '@mikro-orm/postgresql';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Counter, Gauge } from 'prom-client';
import type { AppConfig } from '../../config/config.module.js';
import { Metrics } from '../../metrics/metrics.service.js';
import { type Lsn, parseLsn } from './lsn.js';
import { ReadRouter } from './read-routing.js';
import { ReadRoutingPostgreSqlDriver } from './read-routing.driver.js';
import { RecentWrites } from './recent-writes.js';
import { ReplicaMonitor, type ReplicaReports, type ReplicaState } from './replica-monitor.js';
import { PostgresReplicaProbes } from './replica-probes.js';

/** A replica as logs and metrics name it: where it is, never its credentials. */
export function replicaName(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

/** How often the replicas are checked: a quarter of the bound, within 50 ms .. 1 s. */
export function checkIntervalMs(maxLagMs: number): number {
  return Math.min(1000, Math.max(50, Math.floor(maxLagMs / 4)));
}

/**
 * Read replicas (DATABASE_READ_URLS, decision 0200): checks them against REPLICA_MAX_LAG_MS,
 * routes the reads that opt in, and hands out the WAL position a write's Consistency-Token
 * carries. Inert without DATABASE_READ_URLS: every read stays on the primary.
 */
@Injectable()
export class ReplicaReads implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ReadReplicas');
  private readonly urls: string[];
  private readonly maxLagMs: number;
  private probes?: PostgresReplicaProbes;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  router?: ReadRouter;

  constructor(
    private readonly orm: MikroORM,
    private readonly metrics: Metrics,
    @Inject(ConfigService) private readonly config: AppConfig,
  ) {
    this.urls = config.get('DATABASE_READ_URLS', { infer: true }) ?? [];
    this.maxLagMs = config.get('REPLICA_MAX_LAG_MS', { infer: true });
  }

  get enabled(): boolean {
    return this.urls.length > 0;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.enabled) return;
    const driver = this.orm.em.getDriver();
    if (!(driver instanceof ReadRoutingPostgreSqlDriver)) return;
    const primaryUrl = this.config.get('DATABASE_URL', { infer: true })!;
    this.probes = new PostgresReplicaProbes(primaryUrl, this.urls);
    const monitor = new ReplicaMonitor({
      names: this.urls.map(replicaName),
      maxLagMs: this.maxLagMs,
      probes: this.probes,
      reports: this.reports(),
    });
    // Own writes are remembered past the point where any replica within the bound has them.
    const rememberMs = this.maxLagMs + 2 * checkIntervalMs(this.maxLagMs) + 1000;
    this.router = new ReadRouter(monitor, new RecentWrites(rememberMs));
    // The first check before serving: replicas are known (up or not) from the first request on.
    await monitor.check();
    driver.routeReadsWith(this.router);
    const interval = checkIntervalMs(this.maxLagMs);
    const loop = async (): Promise<void> => {
      await monitor.check();
      if (!this.stopped) this.timer = setTimeout(() => void loop(), interval).unref();
    };
    this.timer = setTimeout(() => void loop(), interval).unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.probes?.close();
  }

  /**
   * The primary's WAL position now, after a write committed: at or past its commit record, so a
   * replica that has replayed it has the write. One short query on the primary pool. The *insert*
   * position: with `synchronous_commit = off` a commit record may not be written out yet, and
   * `pg_current_wal_lsn()` (the write position) then lies before it — the 8-instance rehearsal
   * saw 4 of 440 token reads miss their write that way (decision 0206).
   */
  async primaryPosition(): Promise<Lsn | undefined> {
    const row = await this.orm.em
      .getConnection('write')
      .execute<{ lsn: string }>('select pg_current_wal_insert_lsn()::text as lsn', [], 'get');
    return parseLsn(row.lsn);
  }

  private reports(): ReplicaReports {
    const up = new Gauge({
      name: 'db_replica_up',
      help: 'Whether the read replica serves reads: 1 answering within REPLICA_MAX_LAG_MS, 0 lagging or not answering',
      labelNames: ['replica'] as const,
      registers: [this.metrics.registry],
      aggregator: 'min',
    });
    const lag = new Gauge({
      name: 'db_replica_lag_seconds',
      help: 'How far the read replica’s replay is behind the primary (upper bound, to one check interval)',
      labelNames: ['replica'] as const,
      registers: [this.metrics.registry],
      aggregator: 'max',
    });
    const cancelled = new Counter({
      name: 'db_replica_reads_cancelled_total',
      help: 'Reads the read replica cancelled for a conflict with its WAL replay, answered by the primary instead',
      labelNames: ['replica'] as const,
      registers: [this.metrics.registry],
    });
    return {
      readCancelledForReplay: (name) => cancelled.inc({ replica: name }),
      stateChanged: (name, from, to: ReplicaState, detail) => {
        const line = `read replica ${name}: ${from} → ${to}, ${detail}`;
        if (to === 'up') this.logger.log(line);
        else this.logger.warn(line);
      },
      observed: (name, state, lagMs) => {
        up.set({ replica: name }, state === 'up' ? 1 : 0);
        if (lagMs !== undefined) lag.set({ replica: name }, lagMs / 1000);
      },
    };
  }
}

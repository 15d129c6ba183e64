import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

// The window restarts when it has expired, otherwise the count goes up: one statement, so
// concurrent requests on any instance never lose a hit (docs/decisions/0022-rate-limit-storage.md).
const INCREMENT = `
insert into rate_limit_counters as c (key, hits, expires_at)
values (?, 1, clock_timestamp() + ? * interval '1 millisecond')
on conflict (key) do update set
  hits = case when c.expires_at <= clock_timestamp() then 1 else c.hits + 1 end,
  expires_at = case when c.expires_at <= clock_timestamp() then excluded.expires_at else c.expires_at end
returning hits, ceil(extract(epoch from (expires_at - clock_timestamp())))::int as seconds_left`;

const PURGE = `delete from rate_limit_counters where expires_at < clock_timestamp() - interval '1 minute'`;
const PURGE_EVERY_MS = 60_000;

/**
 * Throttler counters in PostgreSQL: fixed windows of `ttl`, blocked for the rest of the window once
 * over the limit (`blockDuration` is not used). Whether a count is over the limit is decided per
 * request from the limit passed in, so routes with different limits can share nothing by accident.
 */
@Injectable()
export class PostgresThrottlerStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly logger = new Logger(PostgresThrottlerStorage.name);
  private readonly purgeTimer: NodeJS.Timeout;

  constructor(private readonly orm: MikroORM) {
    this.purgeTimer = setInterval(() => void this.purge(), PURGE_EVERY_MS).unref();
  }

  async increment(key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> {
    const [row] = await this.orm.em
      .getConnection()
      .execute<{ hits: number; seconds_left: number }[]>(INCREMENT, [key, ttl]);
    const timeToExpire = Math.max(1, row.seconds_left);
    const isBlocked = row.hits > limit;
    return {
      totalHits: row.hits,
      timeToExpire,
      isBlocked,
      timeToBlockExpire: isBlocked ? timeToExpire : 0,
    };
  }

  onModuleDestroy(): void {
    clearInterval(this.purgeTimer);
  }

  private async purge(): Promise<void> {
    try {
      await this.orm.em.getConnection().execute(PURGE, [], 'run');
    } catch (error) {
      this.logger.warn({ err: error }, 'could not purge expired rate-limit counters');
    }
  }
}

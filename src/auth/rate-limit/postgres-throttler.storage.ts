import type { QueryResult } from '@mikro-orm/core';
import { MikroORM } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
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

// A counter whose window has ended counts nothing: the next hit restarts it (INCREMENT above). The
// outer condition is checked again on a row a concurrent hit has just restarted, which then stays.
const DELETE_EXPIRED = `
delete from rate_limit_counters
where key = any(array(
  select key from rate_limit_counters where expires_at < clock_timestamp() limit ?))
and expires_at < clock_timestamp()`;

/**
 * Throttler counters in PostgreSQL: fixed windows of `ttl`, blocked for the rest of the window once
 * over the limit (`blockDuration` is not used). Whether a count is over the limit is decided per
 * request from the limit passed in, so routes with different limits can share nothing by accident.
 */
@Injectable()
export class PostgresThrottlerStorage implements ThrottlerStorage {
  constructor(private readonly orm: MikroORM) {}

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

  /**
   * Deletes up to `limit` counters whose window has ended; the retention sweep calls it, once
   * across instances (rate-limit-counter-retention.ts).
   */
  async deleteExpired(limit: number): Promise<number> {
    const result = await this.orm.em
      .getConnection()
      .execute<QueryResult>(DELETE_EXPIRED, [limit], 'run');
    return result.affectedRows;
  }
}

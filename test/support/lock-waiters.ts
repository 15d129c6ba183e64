import pg from 'pg';
import { eventually } from './fixtures.js';

/**
 * Waits until `count` sessions on the test database wait for a lock in a statement starting with
 * `statement`. Its own connection: a session inside a transaction sees a frozen pg_stat_activity.
 */
export async function waitForLockWaiters(
  statement: string,
  count: number,
  // Past any pooler: an observer must not queue behind the sessions it watches (.ci/run's PgBouncer pass).
  url = process.env.DATABASE_DIRECT_URL ?? process.env.DATABASE_URL!,
): Promise<void> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    await eventually(
      async () => {
        const { rows } = await db.query<{ count: string }>(
          `select count(*) from pg_stat_activity
           where datname = current_database() and wait_event_type = 'Lock'
             and ltrim(query) like $1`,
          [`${statement}%`],
        );
        return Number(rows[0].count) >= count;
      },
      15_000,
      `${count} sessions waiting in ${statement}`,
    );
  } finally {
    await db.end();
  }
}

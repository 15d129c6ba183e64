import pg from 'pg';

/**
 * The advisory lock every migration run takes, in the two-key form: "keel", "migr" in ASCII. Only
 * Keel's migrations use it; pg-boss takes transaction-scoped advisory locks on keys of its own.
 */
export const MIGRATION_LOCK_KEY = [0x6b_65_65_6c, 0x6d_69_67_72] as const;

/**
 * Runs `work` while holding a session advisory lock on a connection of its own, so two migration
 * runs at once (a retried Kubernetes Job, two rollouts, two `npm start`s) take turns: the second
 * waits, then finds nothing pending (issue 21, item 4). MikroORM's migrator takes no lock, and
 * `mikro_orm_migrations.name` is not unique, so without it both applied a data migration.
 * A session lock needs a session: `url` must reach PostgreSQL directly, not through a pooler in
 * transaction mode, which would hand the lock's session to someone else (DATABASE_DIRECT_URL).
 * The lock goes with the session, also when the process dies.
 */
export async function underMigrationLock<T>(
  url: string,
  work: () => Promise<T>,
  onWait: () => void = () => undefined,
): Promise<T> {
  const session = new pg.Client({ connectionString: url, application_name: 'keel-migrate-lock' });
  await session.connect();
  try {
    const { rows } = await session.query<{ locked: boolean }>(
      'select pg_try_advisory_lock($1, $2) as locked',
      [...MIGRATION_LOCK_KEY],
    );
    if (!rows[0].locked) {
      onWait();
      await session.query('select pg_advisory_lock($1, $2)', [...MIGRATION_LOCK_KEY]);
    }
    return await work();
  } finally {
    // Ending the session releases the lock; no unlock needed, even when `work` failed.
    await session.end();
  }
}

import pg from 'pg';

/** Serialises Keel instances that start at once: concurrent catalog updates of one row fail. */
const SETTING_LOCK = 0x6b65656c_0150n;

/**
 * Bounds every statement that Keel's database role runs in Keel's database to `timeoutMs`: the
 * role's default for the database (`ALTER ROLE … IN DATABASE … SET statement_timeout`), which
 * PostgreSQL itself applies when any session of that role starts. It holds on every connection,
 * the app's, pg-boss's, and PgBouncer's in transaction mode, which refuses `statement_timeout` as
 * a startup parameter (node-postgres#2103, pgbouncer#907) and loses a session `SET` between
 * transactions. Sessions opened before a change keep the old bound until they reconnect.
 * docs/decisions/0151-statement-timeout-per-role.md
 *
 * Runs before the app's pool opens its first connection, and only writes when the bound differs.
 */
export async function boundStatementTime(url: string, timeoutMs: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin');
    await client.query('select pg_advisory_xact_lock($1)', [SETTING_LOCK]);
    const { rows } = await client.query<{ role: string; database: string; settings: string[] }>(
      `select current_user as role, current_database() as database,
              coalesce((select setconfig from pg_db_role_setting
                         where setrole = (select oid from pg_roles where rolname = current_user)
                           and setdatabase = (select oid from pg_database
                                               where datname = current_database())), '{}') as settings`,
    );
    const { role, database, settings } = rows[0];
    if (!settings.includes(`statement_timeout=${timeoutMs}`)) {
      await client.query(
        `alter role ${client.escapeIdentifier(role)} in database ${client.escapeIdentifier(database)}
         set statement_timeout = ${Math.trunc(timeoutMs)}`,
      );
    }
    await client.query('commit');
  } finally {
    await client.end();
  }
}

/** What MikroORM's `onCreateConnection` hands over: a Kysely connection to PostgreSQL. */
interface KyselyConnection {
  executeQuery(query: { sql: string; parameters: readonly unknown[] }): Promise<unknown>;
}

/**
 * Lifts the bound for one session: the migrator's and the seed's, which run on a direct connection
 * (never through a pooler) and may build an index on a large table.
 */
export async function unboundedSession(connection: unknown): Promise<void> {
  await (connection as KyselyConnection).executeQuery({
    sql: 'set statement_timeout = 0',
    parameters: [],
  });
}

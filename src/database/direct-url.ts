/**
 * The URL for work that needs a session of its own on the primary — migrations and their advisory
 * lock (migration-lock.ts), the database commands: DATABASE_DIRECT_URL, a pooler-free URL, when
 * the app's DATABASE_URL goes through a pooler in transaction mode; DATABASE_URL otherwise.
 */
export function directDatabaseUrl(env: {
  DATABASE_URL?: string;
  DATABASE_DIRECT_URL?: string;
}): string | undefined {
  return env.DATABASE_DIRECT_URL ?? env.DATABASE_URL;
}

/**
 * Whether DATABASE_URL goes through a pooler in transaction mode: DATABASE_DIRECT_URL is set and
 * names another URL. Then nothing may outlive a transaction on the app's connections, named
 * prepared statements included (PgBouncer tracks them only from 1.21; Debian 12 ships 1.18).
 */
export function behindTransactionPooler(env: {
  DATABASE_URL?: string;
  DATABASE_DIRECT_URL?: string;
}): boolean {
  return env.DATABASE_DIRECT_URL !== undefined && env.DATABASE_DIRECT_URL !== env.DATABASE_URL;
}

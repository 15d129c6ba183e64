import pg from 'pg';

/** The URL of another database on the same server. */
export function withDatabase(url: string, database: string): string {
  const target = new URL(url);
  target.pathname = `/${database}`;
  return target.toString();
}

async function onServer<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;

export async function createDatabaseIfMissing(serverUrl: string, database: string): Promise<void> {
  await onServer(serverUrl, async (client) => {
    const found = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`create database ${quoteIdentifier(database)}`);
  });
}

export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  await onServer(serverUrl, (client) =>
    client.query(`drop database if exists ${quoteIdentifier(database)} with (force)`),
  );
}

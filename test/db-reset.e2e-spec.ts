import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import pg from 'pg';
import { createDatabaseIfMissing, withDatabase } from '../src/database/database-admin.js';

/**
 * `npm run db:reset` (issue 23, item 5): development data from scratch on a database of its own
 * (named after the run's, so the run's teardown drops it).
 */
const run = promisify(execFile);

describe('npm run db:reset', () => {
  const serverUrl = process.env.DATABASE_URL!;
  const url = withDatabase(serverUrl, `${new URL(serverUrl).pathname.slice(1)}_reset`);
  const reset = (env: Record<string, string> = {}) =>
    run(process.execPath, ['dist/database/cli/reset.js'], {
      env: { ...process.env, DATABASE_URL: url, ...env },
    });
  const query = async <T extends pg.QueryResultRow>(sql: string): Promise<T[]> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  };

  beforeAll(() => createDatabaseIfMissing(serverUrl, new URL(url).pathname.slice(1)));

  it('migrates and seeds an empty database, and again from scratch after changes', async () => {
    const { stdout } = await reset();
    const migrations = (await readdir('src/database/migrations')).filter((file) =>
      /^Migration\d{14}\.ts$/.test(file),
    );
    expect(stdout).toContain(`Reset: ${migrations.length} migrations applied, demo data in place.`);
    const seeded = await query<{ count: string }>('select count(*) from customers');

    await query(
      "insert into customers (id, name, email, created_at, updated_at) values (gen_random_uuid(), 'Leftover', 'leftover@example.com', now(), now())",
    );
    await query('create table scratch_leftover (id int)');
    await reset();
    expect(await query('select * from customers where email = $$leftover@example.com$$')).toEqual(
      [],
    );
    expect(await query<{ count: string }>('select count(*) from customers')).toEqual(seeded);
    expect(await query("select * from pg_tables where tablename = 'scratch_leftover'")).toEqual([]);
  }, 120_000);

  it('refuses to run in production and changes nothing', async () => {
    const before = await query<{ count: string }>('select count(*) from customers');
    await expect(reset({ NODE_ENV: 'production' })).rejects.toMatchObject({
      stderr: expect.stringContaining('db:reset failed: refused with NODE_ENV=production'),
    });
    expect(await query<{ count: string }>('select count(*) from customers')).toEqual(before);
  }, 60_000);
});

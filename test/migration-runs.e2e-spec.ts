import { jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pg from 'pg';
import {
  createDatabaseIfMissing,
  dropDatabase,
  withDatabase,
} from '../src/database/database-admin.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `npm run db:migrate` as the Kubernetes Job runs it, with the outcome whatever it is. */
const migrateRun = (script: string, env: Record<string, string>): Promise<Run> =>
  new Promise((done) => {
    execFile(
      process.execPath,
      [script],
      { env: { ...process.env, ...env } },
      (error, stdout, stderr) =>
        done({ code: error ? ((error.code as number) ?? 1) : 0, stdout, stderr }),
    );
  });

/** What the run reported; the migrator's own progress lines come before it. */
const lastLine = (run: Run): string | undefined => run.stdout.trim().split('\n').at(-1);

const MIGRATE = 'dist/database/cli/migrate.js';
const UP_TO_DATE = 'The schema is up to date.';

/**
 * Issue 21, item 4: Kubernetes can run two migration Jobs at once (a retried Job, two rollouts).
 * Runs take turns on an advisory lock (src/database/migration-lock.ts): each migration is applied
 * once, and the run that waited reports that nothing was left.
 */
// Each run starts Node and the ORM and migrates a whole schema: seconds each on a busy machine.
jest.setTimeout(120_000);

describe('two db:migrate runs at once', () => {
  const serverUrl = process.env.DATABASE_URL!;
  const databases: string[] = [];
  const freshDatabase = async (purpose: string): Promise<string> => {
    const name = `${new URL(serverUrl).pathname.slice(1)}_${purpose}`;
    databases.push(name);
    await createDatabaseIfMissing(serverUrl, name);
    return withDatabase(serverUrl, name);
  };
  const query = async <T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<T>(sql)).rows;
    } finally {
      await client.end();
    }
  };
  const twice = (script: string, env: Record<string, string>): Promise<Run[]> =>
    Promise.all([migrateRun(script, env), migrateRun(script, env)]);
  const appliedTwice = (url: string) =>
    query(url, 'select name from mikro_orm_migrations group by name having count(*) > 1');

  afterAll(async () => {
    for (const name of databases) await dropDatabase(serverUrl, name);
  });

  it('on a fresh database: one applies every migration, the other reports up to date', async () => {
    const url = await freshDatabase('race_fresh');
    const runs = await twice(MIGRATE, { DATABASE_URL: url });
    expect(runs.map((run) => [run.code, run.stderr])).toEqual([
      [0, ''],
      [0, ''],
    ]);
    const outputs = runs.map(lastLine).sort();
    expect(outputs[0]).toMatch(/^Applied Migration\d+/);
    expect(outputs[1]).toBe(UP_TO_DATE);
    expect(await appliedTwice(url)).toEqual([]);
  });

  describe('with a data migration', () => {
    // A copy of dist/ with one more migration: the product's own migrations folder stays as it is
    // for the suites running beside this one. Under the project, so the copy finds node_modules.
    const copy = resolve(`.data/migration-race-${process.pid}`);
    beforeAll(async () => {
      await mkdir(copy, { recursive: true });
      await cp('dist', copy, { recursive: true });
      await writeFile(
        join(copy, 'database/migrations/Migration29991231000000.js'),
        `import { Migration } from '@mikro-orm/migrations';
export class Migration29991231000000 extends Migration {
  name = 'Migration29991231000000';
  up() {
    // Long enough for the other run to find it pending too, had it not waited for the lock.
    this.addSql('select pg_sleep(0.5);');
    this.addSql("update products set price_cents = price_cents + 100 where sku = 'MIGRATION-PROBE';");
  }
}
`,
      );
    });
    afterAll(() => rm(copy, { recursive: true, force: true }));

    it('moves the value once: one run applies it, the other reports up to date', async () => {
      const url = await freshDatabase('race_data');
      expect((await migrateRun(MIGRATE, { DATABASE_URL: url })).code).toBe(0);
      await query(
        url,
        `insert into products (id, sku, name, price_cents, currency, stock, active, created_at, updated_at, version)
         values (gen_random_uuid(), 'MIGRATION-PROBE', 'Probe', 1000, 'EUR', 1, true, now(), now(), 1)`,
      );
      const runs = await twice(join(copy, 'database/cli/migrate.js'), { DATABASE_URL: url });
      expect(runs.map((run) => [run.code, run.stderr])).toEqual([
        [0, ''],
        [0, ''],
      ]);
      const outputs = runs.map(lastLine).sort();
      expect(outputs).toEqual(['Applied Migration29991231000000', UP_TO_DATE]);
      const [probe] = await query<{ price_cents: string }>(
        url,
        "select price_cents from products where sku = 'MIGRATION-PROBE'",
      );
      expect(Number(probe.price_cents)).toBe(1100);
      expect(await appliedTwice(url)).toEqual([]);
    });
  });

  it('migrates through DATABASE_DIRECT_URL when it is set, not through DATABASE_URL', async () => {
    const url = await freshDatabase('direct');
    const run = await migrateRun(MIGRATE, {
      // Nothing listens here: a run that used DATABASE_URL would fail.
      DATABASE_URL: 'postgres://keel@127.0.0.1:1/unreachable',
      DATABASE_DIRECT_URL: url,
    });
    expect([run.code, run.stderr]).toEqual([0, '']);
    expect(lastLine(run)).toMatch(/^Applied Migration\d+/);
  });
});

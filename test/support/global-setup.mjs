// Plain ESM on purpose: Jest loads global setup outside its module system, so this uses the
// built dist/ (`npm test` builds first) and the same migrate command production runs.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import {
  createDatabaseIfMissing,
  dropDatabase,
  withDatabase,
} from '../../dist/database/database-admin.js';
import { startEmbeddedDatabase } from '../../dist/database/embedded/embedded-database.js';

const run = promisify(execFile);

/**
 * One fresh, migrated database per test run: on DATABASE_URL's server when given, otherwise on an
 * embedded PostgreSQL under `.data/test-postgres`. Test workers inherit its URL; teardown drops it,
 * and every database a suite made beside it (named after it, `<run>_<suite>`).
 */
export default async function globalSetup() {
  const embedded = process.env.DATABASE_URL
    ? undefined
    : await startEmbeddedDatabase(resolve('.data/test-postgres'));
  const serverUrl = process.env.DATABASE_URL ?? embedded.serverUrl;
  const name = `keel_test_${Date.now()}_${process.pid}`;
  const migrated = async (database) => {
    await createDatabaseIfMissing(serverUrl, database);
    const url = withDatabase(serverUrl, database);
    await run(process.execPath, ['dist/database/cli/migrate.js'], {
      env: { ...process.env, DATABASE_URL: url },
    });
    return url;
  };
  // The in-process job suite's workers, and its expiry sweep (orders pending over 3 s), would act on
  // every other suite's orders: it runs on a database of its own (test/support/job-workers-env.ts).
  const [url, jobsUrl] = await Promise.all([migrated(name), migrated(`${name}_jobs`)]);
  process.env.DATABASE_URL = url;
  process.env.KEEL_TEST_JOBS_DATABASE_URL = jobsUrl;
  globalThis.keelTestDatabase = {
    async drop() {
      const server = new pg.Client({ connectionString: serverUrl });
      await server.connect();
      const { rows } = await server
        .query('select datname from pg_database where datname = $1 or datname like $2', [
          name,
          `${name.replaceAll('_', '\\_')}\\_%`,
        ])
        .finally(() => server.end());
      for (const { datname } of rows) await dropDatabase(serverUrl, datname);
      await embedded?.stop();
    },
  };
}

// Plain ESM on purpose: Jest loads global setup outside its module system, so this uses the
// built dist/ (`npm test` builds first) and the same migrate command production runs.
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import {
  createDatabaseIfMissing,
  dropDatabase,
  withDatabase,
} from '../../dist/database/database-admin.js';
import { startEmbeddedDatabase } from '../../dist/database/embedded/embedded-database.js';
import { writeServedDocument } from './served-document.mjs';

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
  // Through a pooler (.ci/run's PgBouncer pass) DATABASE_DIRECT_URL names the same server without
  // it: databases are made, migrated and dropped there, and the app gets both URLs.
  const pooled = process.env.DATABASE_DIRECT_URL !== undefined;
  const directServerUrl = process.env.DATABASE_DIRECT_URL ?? serverUrl;
  const name = `keel_test_${Date.now()}_${process.pid}`;
  const migrated = async (database) => {
    await createDatabaseIfMissing(directServerUrl, database);
    const url = withDatabase(serverUrl, database);
    const directUrl = withDatabase(directServerUrl, database);
    await run(process.execPath, ['dist/database/cli/migrate.js'], {
      env: {
        ...process.env,
        DATABASE_URL: url,
        ...(pooled ? { DATABASE_DIRECT_URL: directUrl } : {}),
      },
    });
    return { url, directUrl };
  };
  // The in-process job suite's workers, and its expiry sweep (orders pending over 3 s), would act on
  // every other suite's orders: it runs on a database of its own (test/support/job-workers-env.ts).
  const [runDb, jobs] = await Promise.all([migrated(name), migrated(`${name}_jobs`)]);
  process.env.DATABASE_URL = runDb.url;
  process.env.KEEL_TEST_JOBS_DATABASE_URL = jobs.url;
  if (pooled) {
    process.env.DATABASE_DIRECT_URL = runDb.directUrl;
    process.env.KEEL_TEST_JOBS_DATABASE_DIRECT_URL = jobs.directUrl;
  }
  // Every answer a suite receives is checked against the served document (support/contract.ts).
  const servedDocument = join(tmpdir(), `${name}-openapi.json`);
  await writeServedDocument(runDb.url, servedDocument);
  process.env.KEEL_TEST_OPENAPI_DOCUMENT = servedDocument;
  globalThis.keelTestDatabase = {
    async drop() {
      await rm(servedDocument, { force: true });
      const server = new pg.Client({ connectionString: directServerUrl });
      await server.connect();
      const { rows } = await server
        .query('select datname from pg_database where datname = $1 or datname like $2', [
          name,
          `${name.replaceAll('_', '\\_')}\\_%`,
        ])
        .finally(() => server.end());
      for (const { datname } of rows) await dropDatabase(directServerUrl, datname);
      await embedded?.stop();
    },
  };
}

// Plain ESM on purpose: Jest loads global setup outside its module system, so this uses the
// built dist/ (`npm test` builds first) and the same migrate command production runs.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import {
  createDatabaseIfMissing,
  dropDatabase,
  withDatabase,
} from '../../dist/database/database-admin.js';
import { startEmbeddedDatabase } from '../../dist/database/embedded/embedded-database.js';

const run = promisify(execFile);

/**
 * One fresh, migrated database per test run: on DATABASE_URL's server when given, otherwise on an
 * embedded PostgreSQL under `.data/test-postgres`. Test workers inherit its URL; teardown drops it.
 */
export default async function globalSetup() {
  const embedded = process.env.DATABASE_URL
    ? undefined
    : await startEmbeddedDatabase(resolve('.data/test-postgres'));
  const serverUrl = process.env.DATABASE_URL ?? embedded.serverUrl;
  const name = `keel_test_${Date.now()}_${process.pid}`;
  await createDatabaseIfMissing(serverUrl, name);
  const url = withDatabase(serverUrl, name);
  await run(process.execPath, ['dist/database/cli/migrate.js'], {
    env: { ...process.env, DATABASE_URL: url },
  });
  process.env.DATABASE_URL = url;
  globalThis.keelTestDatabase = {
    async drop() {
      await dropDatabase(serverUrl, name);
      await embedded?.stop();
    },
  };
}

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import {
  createDatabaseIfMissing,
  dropDatabase,
  withDatabase,
} from '../../src/database/database-admin.js';

const run = promisify(execFile);

export interface IsolatedDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A migrated database of its own on the run's server, for a suite whose job workers must neither
 * take other suites' jobs nor have theirs taken (suites share the run's database and its queues).
 */
export async function createIsolatedDatabase(purpose: string): Promise<IsolatedDatabase> {
  const runUrl = process.env.DATABASE_URL!;
  const name = `keel_${purpose}_${Date.now()}_${process.pid}`;
  await createDatabaseIfMissing(runUrl, name);
  const url = withDatabase(runUrl, name);
  await run(process.execPath, ['dist/database/cli/migrate.js'], {
    env: { ...process.env, DATABASE_URL: url },
  });
  return { url, drop: () => dropDatabase(runUrl, name) };
}

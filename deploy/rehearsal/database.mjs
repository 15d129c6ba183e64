// A fresh database for the rehearsal, on DATABASE_URL's server or on the embedded PostgreSQL
// (under .data/rehearsal-postgres, or its machine folder as root: decision 0060), migrated with the command the migration Job runs; dropped after.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { scriptCommand } from './project.mjs';

const run = promisify(execFile);

export async function provideDatabase(root, log) {
  const admin = await import(join(root, 'dist/database/database-admin.js'));
  let embedded;
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const { startEmbeddedDatabase } = await import(
      join(root, 'dist/database/embedded/embedded-database.js')
    );
    embedded = await startEmbeddedDatabase(join(root, '.data/rehearsal-postgres'));
    log(`no DATABASE_URL: started the embedded PostgreSQL under ${embedded.dataDir}`);
    serverUrl = embedded.serverUrl;
  }
  const name = `keel_rehearsal_${Date.now()}_${process.pid}`;
  await admin.createDatabaseIfMissing(serverUrl, name);
  return {
    name,
    url: admin.withDatabase(serverUrl, name),
    async drop() {
      try {
        await admin.dropDatabase(serverUrl, name);
      } finally {
        await embedded?.stop();
      }
    },
  };
}

/** `npm run db:migrate`'s command, as the Kubernetes migration Job runs it before a rollout. */
export async function migrateDatabase(root, url) {
  const { command, args } = scriptCommand('db:migrate');
  await run(command, args, {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      NODE_ENV: 'production',
      DATABASE_URL: url,
      JWT_SECRET: 'x'.repeat(32),
    },
  });
}

#!/usr/bin/env node
// `npm run start:dev` (issue 23, item 5): the app rebuilt and restarted on every change
// (`nest start --watch`, whose compiler keeps its program between builds), on a database that
// outlives the restarts. With DATABASE_URL unset the embedded PostgreSQL under `.data/` is
// started here, once, instead of by each start of the app; every start then migrates and seeds it
// as `npm start` does (development mode). Needs a build first (the script runs tools/build.mjs).
//
// Ctrl-C reaches nest and the app as well (one process group; the database's supervisor runs in
// its own): the app drains, nest exits, then this process stops the database.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { startDevelopmentDatabase } from '../dist/database/development-database.js';

const embedded = process.env.DATABASE_URL ? undefined : await startDevelopmentDatabase();
if (embedded) {
  process.stdout.write(
    `start:dev: embedded PostgreSQL under ${embedded.server.dataDir}, kept across restarts\n`,
  );
}
const nest = spawn(
  process.execPath,
  // --no-shell: nest passes a signal on to the app it spawned, which a shell in between swallows.
  [resolve('node_modules/@nestjs/cli/bin/nest.js'), 'start', '--watch', '--no-shell'],
  {
    stdio: 'inherit',
    env: embedded ? { ...process.env, DATABASE_URL: embedded.url } : process.env,
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => nest.kill(signal));
}
nest.once('exit', async (code) => {
  await embedded?.server.stop();
  process.exit(code ?? 0);
});

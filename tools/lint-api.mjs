#!/usr/bin/env node
// `npm run lint:api` (issue 27, item 1): the OpenAPI document exactly as the built app serves it at
// /docs-json, linted by Spectral with the OWASP API Security ruleset (.spectral.yaml). Fails on any
// error; warnings are printed (each one kept is explained in docs/decisions/0215). Needs
// `nest build` first (the script runs it). With DATABASE_URL unset the app runs on an embedded
// PostgreSQL of its own under `.data/api-lint`, so a running `npm start` is not disturbed.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDevelopmentDatabase } from '../dist/database/development-database.js';

const freePort = () =>
  new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
    server.once('error', fail);
  });

async function fetchWhenServing(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url);
      if (response.ok) return response;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((wait) => setTimeout(wait, 250));
  }
}

const embedded = process.env.DATABASE_URL
  ? undefined
  : await startDevelopmentDatabase(resolve('.data/api-lint'));
const port = await freePort();
const app = spawn(process.execPath, [resolve('dist/main.js')], {
  env: {
    ...process.env,
    NODE_ENV: 'development',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    WEB_CONCURRENCY: '1',
    MANAGEMENT_PORT: '',
    DATABASE_URL: embedded?.url ?? process.env.DATABASE_URL,
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const folder = await mkdtemp(join(tmpdir(), 'keel-api-lint-'));
let status;
try {
  const document = await (
    await fetchWhenServing(`http://127.0.0.1:${port}/docs-json`, 60_000)
  ).text();
  const file = join(folder, 'openapi.json');
  await writeFile(file, document);
  status = await new Promise((done) => {
    execFile(
      process.execPath,
      [
        resolve('node_modules/@stoplight/spectral-cli/dist/index.js'),
        'lint',
        file,
        '--ruleset',
        resolve('.spectral.yaml'),
        '--fail-severity',
        'error',
      ],
      { maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        process.stdout.write(stdout);
        process.stderr.write(stderr);
        done(error ? (typeof error.code === 'number' ? error.code : 1) : 0);
      },
    );
  });
} finally {
  app.kill('SIGTERM');
  await new Promise((done) => (app.exitCode === null ? app.once('exit', done) : done()));
  await embedded?.server.stop();
  await rm(folder, { recursive: true, force: true });
}
process.exit(status);

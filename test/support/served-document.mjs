// Plain ESM on purpose: global setup loads it outside Jest's module system.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

const freePort = () =>
  new Promise((done, fail) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
    server.once('error', fail);
  });

/**
 * The OpenAPI document as the built app serves it (the Nest CLI plugin adds the DTO schemas in
 * `nest build`; Jest's SWC transform does not), written to `file` for every suite's answers to be
 * checked against (test/support/contract.ts; issue 27, item 3).
 */
export async function writeServedDocument(databaseUrl, file) {
  const port = await freePort();
  const app = spawn(process.execPath, [resolve('dist/main.js')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      JOB_WORKERS: 'false',
      WEB_CONCURRENCY: '1',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/docs-json`);
        if (response.ok) {
          await writeFile(file, await response.text());
          return;
        }
      } catch {
        // not listening yet
      }
      if (app.exitCode !== null) throw new Error(`the built app exited (${app.exitCode})`);
      if (Date.now() > deadline) throw new Error('the built app did not serve /docs-json');
      await new Promise((wait) => setTimeout(wait, 250));
    }
  } finally {
    app.kill('SIGTERM');
    await new Promise((done) => (app.exitCode === null ? app.once('exit', done) : done()));
  }
}

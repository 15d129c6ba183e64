import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DEVELOPMENT_ADMIN } from '../src/config/environment.js';
import { embeddedDataDir } from '../src/database/embedded/embedded-location.js';
import { descendantPids, isRunning, until, workerPids } from './support/cluster-processes.js';
import { freePort } from './support/free-port.js';
import { MAIN, TRACING_PRELOAD, waitUntilServing } from './support/spawned-app.js';

const postgresProcessesUnder = (dir: string): string =>
  execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(dir) && /postgres/.test(line))
    .join('\n');

const statusOverNewConnection = (port: number): Promise<number | undefined> =>
  new Promise((done, fail) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/api/v1/status', agent: false },
      (res) => {
        res.resume();
        res.on('end', () => done(res.statusCode));
      },
    );
    req.on('error', fail);
    req.end();
  });

/**
 * `WEB_CONCURRENCY=auto npm start` from a clean clone (issue 25): no DATABASE_URL, so the primary
 * starts the embedded PostgreSQL, migrates and seeds; the workers serve; Ctrl-C (SIGINT to the whole
 * process group, as a terminal sends it) leaves nothing running.
 */
describe('WEB_CONCURRENCY=auto with no DATABASE_URL (zero-config cluster)', () => {
  let workdir: string;
  let dataDir: string;
  beforeAll(() => {
    workdir = mkdtempSync(join(tmpdir(), 'keel-zero-config-cluster-'));
    // As root the data lives under a machine folder, not the clone (decision 0060).
    dataDir = embeddedDataDir(join(workdir, '.data/postgres'));
  });
  afterAll(() => {
    rmSync(workdir, { recursive: true, force: true });
    if (!dataDir.startsWith(workdir)) rmSync(dirname(dataDir), { recursive: true, force: true });
  });

  it('starts the embedded PostgreSQL once, serves from every worker, and Ctrl-C stops it all with exit 0', async () => {
    const port = await freePort();
    // `auto` is one worker per core this process may use: two cores, whatever the machine has.
    const child = spawn(
      'taskset',
      ['-c', '0,1', process.execPath, '--import', TRACING_PRELOAD, MAIN],
      {
        cwd: workdir,
        detached: true, // its own process group, which Ctrl-C signals as a whole
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          WEB_CONCURRENCY: 'auto',
          HOST: '127.0.0.1',
          PORT: String(port),
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const base = `http://127.0.0.1:${port}`;
    try {
      await waitUntilServing(`${base}/api/v1/status`, 90_000);
      await until(() => /2 workers serving/.test(output), 30_000, 'both workers');
    } catch (error) {
      process.kill(-child.pid!, 'SIGKILL');
      throw new Error(`${(error as Error).message}; its output:\n${output}`, { cause: error });
    }
    try {
      const workers = workerPids(child.pid!);
      expect(workers).toHaveLength(2);
      expect(postgresProcessesUnder(dataDir)).not.toBe('');
      // The primary migrated and seeded once: the demo data is there, whichever worker answers.
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(DEVELOPMENT_ADMIN),
      });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const customers = await fetch(`${base}/api/v1/customers?limit=100`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(
        ((await customers.json()) as { items: unknown[] }).items.length,
      ).toBeGreaterThanOrEqual(24);

      // A fresh connection per request (fetch would reuse one): the primary hands connections to
      // the workers in turn.
      for (let i = 0; i < 20; i++) expect(await statusOverNewConnection(port)).toBe(200);
      await until(
        () => {
          // Development logs are pino-pretty lines: `[time] INFO (<pid>): request {…}`.
          const servedBy = new Set(
            [...output.matchAll(/ INFO \((\d+)\): request /g)].map((match) => Number(match[1])),
          );
          return workers.every((pid) => servedBy.has(pid));
        },
        10_000,
        'requests served by both workers',
      );

      const everything = descendantPids(child.pid!);
      process.kill(-child.pid!, 'SIGINT');
      expect(await exited).toBe(0);
      await until(
        () => everything.every((pid) => !isRunning(pid)) && postgresProcessesUnder(dataDir) === '',
        5000,
        'no worker, supervisor or PostgreSQL left',
      );
      // No error line: none of the primary's (JSON), none of the workers' (pretty).
      expect(output).not.toMatch(/"level":50| ERROR \(/);
    } finally {
      // A failed expectation must not leave the cluster and its database running.
      if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
    }
  }, 150_000);
});

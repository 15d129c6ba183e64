import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRunning, until, workerPids } from './support/cluster-processes.js';
import { freePort } from './support/free-port.js';
import { type SpawnedApp, spawnApp, waitUntilServing } from './support/spawned-app.js';

/** The primary's own lines (pino-shaped, context Cluster) at error level. */
const primaryErrors = (app: SpawnedApp): string[] =>
  app
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes('"context":"Cluster"'))
    .map((line) => JSON.parse(line) as { level: number; msg: string })
    .filter((line) => line.level === 50)
    .map((line) => line.msg);

/** A WEB_CONCURRENCY=2 process in `cwd`, once both workers serve. */
async function startCluster(
  cwd: string,
  env: Record<string, string> = {},
): Promise<{ app: SpawnedApp; workers: number[] }> {
  const port = await freePort();
  const app = spawnApp(
    {
      NODE_ENV: 'production',
      DATABASE_URL: process.env.DATABASE_URL,
      HOST: '127.0.0.1',
      PORT: String(port),
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      WEB_CONCURRENCY: '2',
      LOG_LEVEL: 'info',
      ...env,
    },
    cwd,
  );
  try {
    await waitUntilServing(`http://127.0.0.1:${port}/health/live`, 40_000);
    await until(() => /2 workers serving/.test(app.output()), 30_000, 'both workers');
  } catch (error) {
    app.child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}; its output:\n${app.output()}`, { cause: error });
  }
  return { app, workers: workerPids(app.child.pid!) };
}

describe('WEB_CONCURRENCY=2: the primary stops instead of looping or hanging', () => {
  let workdir: string;
  beforeEach(() => {
    workdir = mkdtempSync(join(tmpdir(), 'keel-cluster-'));
  });
  afterEach(() => rmSync(workdir, { recursive: true, force: true }));

  it('stops with one line and exit 1 when replacement workers die at start again and again', async () => {
    const { app, workers } = await startCluster(workdir);
    // Someone breaks .env under the running process: the primary and both workers read it when
    // they started, but every replacement reads it again and refuses to start (exit 1).
    writeFileSync(join(workdir, '.env'), 'DB_POOL_MAX=many\n');
    process.kill(workers[0], 'SIGKILL');

    const { code } = await app.exited;
    expect(code).toBe(1);
    const errors = primaryErrors(app);
    // The killed worker's replacement, and two more, each died before serving: then one line.
    expect(errors.filter((msg) => msg.endsWith('starting a replacement'))).toHaveLength(3);
    const stops = errors.filter((msg) => /replacement workers in a row died/.test(msg));
    expect(stops).toEqual([
      expect.stringMatching(
        /^worker \d+ \(pid \d+\) exited with code 1: 3 replacement workers in a row died before they served, stopping instead of restarting them$/,
      ),
    ]);
    expect(errors.at(-1)).toBe(stops[0]);
    // The worker that kept serving is stopped with the primary, not left behind.
    await until(() => !isRunning(workers[1]), 3000, 'the surviving worker gone');
  }, 90_000);

  it('stops with one line and exit 1 when a worker dies before it ever served', async () => {
    const port = await freePort();
    const app = spawnApp(
      {
        NODE_ENV: 'production',
        // The primary does not connect in production (it runs no migration); a worker does.
        DATABASE_URL: 'postgres://postgres@127.0.0.1:1/keel',
        HOST: '127.0.0.1',
        PORT: String(port),
        WEB_CONCURRENCY: '2',
      },
      workdir,
    );
    const { code } = await app.exited;
    expect(code).toBe(1);
    expect(primaryErrors(app)).toEqual([
      expect.stringMatching(
        /^worker \d \(pid \d+\) exited with code 1 before it served: stopping$/,
      ),
    ]);
  }, 60_000);

  it("exits 1 naming the stuck worker when one outlives the primary's bound (SHUTDOWN_TIMEOUT_MS + 2 s)", async () => {
    const TIMEOUT_MS = 3000;
    const { app, workers } = await startCluster(workdir, {
      SHUTDOWN_TIMEOUT_MS: String(TIMEOUT_MS),
    });
    const [stuck, healthy] = workers;
    // Frozen: not even its own SHUTDOWN_TIMEOUT_MS timer can fire (a worker whose event loop is
    // blocked looks the same to the primary).
    process.kill(stuck, 'SIGSTOP');
    const signalledAt = Date.now();
    app.child.kill('SIGTERM');

    const { code } = await app.exited;
    const afterMs = Date.now() - signalledAt;
    expect(code).toBe(1);
    expect(afterMs).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(afterMs).toBeLessThan(TIMEOUT_MS + 15_000);
    const errors = primaryErrors(app);
    expect(errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `^shutdown exceeded SHUTDOWN_TIMEOUT_MS \\(${TIMEOUT_MS} ms\\): still running worker \\d+ \\(pid ${stuck}\\); killed$`,
        ),
      ),
    ]);
    // The healthy worker drained and exited on its own; the stuck one was killed.
    expect(isRunning(healthy)).toBe(false);
    await until(() => !isRunning(stuck), 3000, 'the stuck worker gone');
  }, 60_000);
});

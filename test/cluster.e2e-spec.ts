import { Agent, request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { isRunning, sleep, until, workerPids } from './support/cluster-processes.js';
import { freePort } from './support/free-port.js';
import { type BuiltApp, spawnApp, startBuiltApp } from './support/spawned-app.js';

interface Outcome {
  status?: number;
  error?: string;
}

/**
 * A client's patience: a connection that node:cluster's primary handed to a worker in the instant
 * it was killed is never answered nor closed (decision 0176), as a client without a timeout learns.
 */
const REQUEST_TIMEOUT_MS = 10_000;

/** One GET; resolves with what came back, never throws, gives up after REQUEST_TIMEOUT_MS. */
function get(agent: Agent, port: number, path: string): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode }));
      res.on('error', (error) => resolve({ error: error.message }));
      res.on('close', () =>
        resolve(res.complete ? { status: res.statusCode } : { error: 'closed' }),
      );
    });
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error('no answer (timeout)')));
    req.on('error', (error) =>
      resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }),
    );
    req.end();
  });
}

/** The loads of the running test: one its test left running (it failed) is stopped after it. */
const loads = new Set<{ stopped: boolean }>();

/** Clients sending requests back to back over keep-alive connections until `running()` is false. */
function keepAliveLoad(port: number, clients: number, running: () => boolean) {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const outcomes: Outcome[] = [];
  const load = { stopped: false };
  loads.add(load);
  const done = Promise.all(
    Array.from({ length: clients }, async () => {
      while (running() && !load.stopped) outcomes.push(await get(agent, port, '/api/v1/status'));
    }),
  ).then(() => agent.destroy());
  return { outcomes, done };
}

/** The sum of a metric's samples whose line matches `filter`, in Prometheus text. */
function sampleSum(text: string, name: string, filter: RegExp = /.*/): number {
  return text
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .filter((line) => filter.test(line))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

/** The clusters the running test started; one it left running (it failed) is killed after it. */
const started = new Set<BuiltApp>();

function killLeftRunning(): void {
  for (const load of loads) load.stopped = true;
  loads.clear();
  for (const app of started) {
    if (app.child.exitCode === null && app.child.signalCode === null) {
      // Workers exit with their primary's IPC channel; killed too, in case they are stuck.
      const workers = workerPids(app.child.pid!);
      app.child.kill('SIGKILL');
      for (const pid of workers) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    }
  }
  started.clear();
}

async function startCluster(env: Record<string, string> = {}): Promise<BuiltApp> {
  const app = await startBuiltApp({ WEB_CONCURRENCY: '2', ...env }, { startTimeoutMs: 40_000 });
  started.add(app);
  // /health/live answers once the first worker listens; wait for the second one too.
  await until(() => workerPids(app.child.pid!).length === 2, 30_000);
  await until(() => /2 workers serving/.test(app.output()), 30_000);
  return app;
}

async function stopCluster(app: BuiltApp, workers: number[]): Promise<void> {
  if (app.child.exitCode === null) app.child.kill('SIGTERM');
  const { code } = await app.exited;
  expect(code).toBe(0);
  expect(workers.filter(isRunning)).toEqual([]);
}

describe('WEB_CONCURRENCY=2 (node:cluster)', () => {
  // Without it, a failed test leaves its cluster running, and Jest waits for it for ever.
  afterEach(killLeftRunning);

  it('serves from both workers and /metrics answers for the group, whichever worker is scraped', async () => {
    const app = await startCluster({ LOG_LEVEL: 'info' });
    const workers = workerPids(app.child.pid!);
    try {
      // A fresh connection per request: the primary hands connections to workers in turn.
      const agent = new Agent({ keepAlive: false });
      const outcomes = await Promise.all(
        Array.from({ length: 40 }, () => get(agent, app.port, '/api/v1/status')),
      );
      expect(outcomes.filter((outcome) => outcome.status !== 200)).toEqual([]);

      await until(() => (app.output().match(/"msg":"request"/g) ?? []).length >= 40, 10_000);
      const servedBy = new Set(
        app
          .output()
          .split('\n')
          .filter((line) => line.includes('"msg":"request"'))
          .map((line) => (JSON.parse(line) as { pid: number }).pid),
      );
      expect([...servedBy].sort()).toEqual([...workers].sort());

      // Every scrape, on whichever worker, counts the 40 requests of both.
      for (let i = 0; i < 4; i++) {
        const text = await (await fetch(`${app.base}/metrics`)).text();
        expect(
          sampleSum(text, 'http_request_duration_seconds_count', /route="\/api\/v1\/status"/),
        ).toBeGreaterThanOrEqual(40);
        expect(sampleSum(text, 'cluster_workers_serving')).toBe(2);
        // Per-process figures stay per worker.
        expect(text).toMatch(/nodejs_heap_size_used_bytes\{worker="1"\}/);
        expect(text).toMatch(/nodejs_heap_size_used_bytes\{worker="2"\}/);
      }
    } finally {
      await stopCluster(app, workers);
    }
  }, 90_000);

  it('drains on SIGTERM under keep-alive load: no failed request, exit 0, nothing left running', async () => {
    const DRAIN_DELAY_MS = 3000;
    const app = await startCluster({
      SHUTDOWN_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS),
      SHUTDOWN_TIMEOUT_MS: '15000',
    });
    const workers = workerPids(app.child.pid!);
    let loadBalancerRoutesHere = true;
    const load = keepAliveLoad(app.port, 20, () => loadBalancerRoutesHere);
    await sleep(500);

    app.child.kill('SIGTERM');
    await sleep(300);
    expect((await get(new Agent(), app.port, '/health/ready')).status).toBe(503);
    await sleep(DRAIN_DELAY_MS / 2);
    loadBalancerRoutesHere = false;
    await load.done;

    const { code } = await app.exited;
    expect(load.outcomes.length).toBeGreaterThan(20);
    expect(load.outcomes.filter((outcome) => outcome.status !== 200)).toEqual([]);
    expect(code).toBe(0);
    expect(workers.filter(isRunning)).toEqual([]);
  }, 90_000);

  it('replaces a worker killed under load, with an error line and a metric; the other keeps serving', async () => {
    const app = await startCluster();
    const [killed, survivor] = workerPids(app.child.pid!);
    let loading = true;
    const load = keepAliveLoad(app.port, 10, () => loading);
    await sleep(500);

    process.kill(killed, 'SIGKILL');
    const before = load.outcomes.length;
    await until(() => workerPids(app.child.pid!).length === 2, 30_000);
    await sleep(1000);
    loading = false;
    await load.done;

    const replacement = workerPids(app.child.pid!).find((pid) => pid !== survivor)!;
    expect(replacement).not.toBe(killed);
    expect(isRunning(survivor)).toBe(true);
    expect(app.output()).toMatch(
      new RegExp(`worker 1 \\(pid ${killed}\\) was killed by SIGKILL: starting a replacement`),
    );
    // Only requests in flight on the killed worker's connections may fail: at most one per client.
    // Of those, at most one waits for the client's timeout: the connection the primary was handing
    // to the worker as it died (node:cluster's round-robin handoff, decision 0176).
    const failed = load.outcomes.filter((outcome) => outcome.status !== 200);
    expect(failed.length).toBeLessThanOrEqual(10);
    expect(
      failed.filter((outcome) => /timeout/.test(outcome.error ?? '')).length,
    ).toBeLessThanOrEqual(1);
    expect(load.outcomes.slice(before).filter((o) => o.status === 200).length).toBeGreaterThan(10);

    await until(async () => {
      const text = await (await fetch(`${app.base}/metrics`)).text();
      return sampleSum(text, 'cluster_workers_replaced_total', /cause="SIGKILL"/) === 1;
    }, 15_000);
    await stopCluster(app, [survivor, replacement]);
  }, 90_000);

  it('a second signal exits at once and leaves no worker running', async () => {
    const app = await startCluster({ SHUTDOWN_DRAIN_DELAY_MS: '10000' });
    const workers = workerPids(app.child.pid!);
    app.child.kill('SIGTERM');
    await sleep(300);
    const secondAt = Date.now();
    app.child.kill('SIGTERM');
    const { code } = await app.exited;
    expect(code).toBe(1);
    expect(Date.now() - secondAt).toBeLessThan(1500);
    await until(() => workers.every((pid) => !isRunning(pid)), 3000);
  }, 90_000);

  describe('start-up failures: one line from the primary, exit 1', () => {
    async function failedStart(env: Record<string, string>): Promise<string[]> {
      const app = spawnApp({
        NODE_ENV: 'production',
        DATABASE_URL: process.env.DATABASE_URL,
        HOST: '127.0.0.1',
        WEB_CONCURRENCY: '2',
        ...env,
      });
      let stderr = '';
      app.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const { code } = await app.exited;
      expect(code).toBe(1);
      expect(app.output()).not.toMatch(/\n\s+at /);
      return stderr.trim().split('\n');
    }

    it('names a bad variable, as a single process does', async () => {
      const lines = await failedStart({ PORT: String(await freePort()), DB_POOL_MAX: 'many' });
      expect(lines[0]).toBe('Invalid configuration:');
      expect(lines.slice(1).every((line) => line.includes('DB_POOL_MAX'))).toBe(true);
    });

    it('names a bad WEB_CONCURRENCY in one line', async () => {
      expect(
        await failedStart({ PORT: String(await freePort()), WEB_CONCURRENCY: 'lots' }),
      ).toEqual([
        'Invalid configuration: WEB_CONCURRENCY must be a whole number from 1 to 256, or auto',
      ]);
    });

    it('names a taken port', async () => {
      const port = await freePort();
      const holder: Server = createServer();
      await new Promise<void>((listening) => holder.listen(port, '127.0.0.1', listening));
      try {
        expect(await failedStart({ PORT: String(port) })).toEqual([
          expect.stringMatching(new RegExp(`port ${port} is already in use.*PORT`)),
        ]);
      } finally {
        holder.close();
      }
    });
  });
});

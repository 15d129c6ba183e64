import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import pg from 'pg';
import { adminHeadersFor, type BuiltApp, startBuiltApp } from './support/spawned-app.js';

interface Outcome {
  status?: number;
  error?: string;
  connection?: string;
}

/** One GET on a keep-alive agent; resolves with what came back, never throws. */
function get(
  agent: Agent,
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode, connection: res.headers.connection }));
      res.on('error', (error) => resolve({ error: error.message }));
    });
    req.on('error', (error) =>
      resolve({ error: (error as NodeJS.ErrnoException).code ?? error.message }),
    );
    req.end();
  });
}

const sleep = (ms: number): Promise<void> => new Promise((wait) => setTimeout(wait, ms));

describe('graceful shutdown (built app, SIGTERM)', () => {
  // Long enough that a busy machine, which may starve this test process for a second, still stops
  // the clients well before the drain ends.
  const DRAIN_DELAY_MS = 4000;
  let app: BuiltApp;
  let port: number;
  let admin: pg.Client;

  beforeAll(async () => {
    app = await startBuiltApp({
      LOG_LEVEL: 'info',
      SHUTDOWN_DRAIN_DELAY_MS: String(DRAIN_DELAY_MS),
      SHUTDOWN_TIMEOUT_MS: '15000',
      // The slow request waits on a lock through the whole drain, past the default 5 s bound.
      DB_STATEMENT_TIMEOUT_MS: '30000',
    });
    port = app.port;
    admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    if (app.child.exitCode === null) app.child.kill('SIGKILL');
  });

  let adminHeaders: Record<string, string>;
  beforeAll(async () => {
    adminHeaders = await adminHeadersFor(`http://127.0.0.1:${port}`);
  });

  it('drains: readiness 503 at once, 50+ keep-alive clients lose nothing, a slow request completes, idle sockets do not hold the exit, exit 0', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 60 });
    const outcomes: Outcome[] = [];
    let loadBalancerRoutesHere = true;

    // 60 clients, each sending requests back to back over its own keep-alive connection.
    const clients = Array.from({ length: 60 }, async () => {
      while (loadBalancerRoutesHere) outcomes.push(await get(agent, port, '/api/v1/status'));
    });
    const probes = new Agent({ keepAlive: true });

    // A client that made one request and now holds an idle keep-alive socket open.
    const idle = connect(port, '127.0.0.1');
    idle.write('GET /api/v1/status HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');

    // A slow request: it waits on a row lock that the test releases after the drain delay.
    await admin.query('begin');
    await admin.query('lock table customers in access exclusive mode');
    const slow = get(
      new Agent({ keepAlive: true }),
      port,
      '/api/v1/customers?limit=1',
      adminHeaders,
    );
    await sleep(300);

    const signalledAt = Date.now();
    app.child.kill('SIGTERM');
    await sleep(200);

    const readiness = await get(probes, port, '/health/ready');
    expect(readiness.status).toBe(503);
    expect((await get(probes, port, '/health/live')).status).toBe(200);

    // The load balancer notices the 503 and stops routing here within the drain delay.
    await sleep(DRAIN_DELAY_MS / 2);
    loadBalancerRoutesHere = false;
    await Promise.all(clients);

    await sleep(DRAIN_DELAY_MS / 2 + 500);
    await admin.query('commit');
    const slowOutcome = await slow;

    const { code, afterMs } = await app.exited;
    const shutdownMs = Date.now() - signalledAt;

    expect(outcomes.length).toBeGreaterThan(60);
    expect(outcomes.filter((outcome) => outcome.status !== 200)).toEqual([]);
    expect(slowOutcome).toMatchObject({ status: 200, connection: 'close' });
    expect(code).toBe(0);
    expect(shutdownMs).toBeLessThan(DRAIN_DELAY_MS + 5000);
    expect(afterMs).toBeGreaterThan(0);
    idle.destroy();
    agent.destroy();
    probes.destroy();
    expect(app.output()).toMatch(/shutting down/);
  }, 60_000);
});

describe('graceful shutdown bounds', () => {
  it('exits non-zero, naming the stuck phase, when the hard bound fires; a second signal exits at once', async () => {
    const app = await startBuiltApp({
      SHUTDOWN_DRAIN_DELAY_MS: '3000',
      SHUTDOWN_TIMEOUT_MS: '4000',
    });
    const port = app.port;
    const headers = await adminHeadersFor(`http://127.0.0.1:${port}`);
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query('begin');
    await admin.query('lock table customers in access exclusive mode');
    const stuck = get(new Agent(), port, '/api/v1/customers', headers);
    await sleep(200);

    app.child.kill('SIGTERM');
    const { code, afterMs } = await app.exited;
    await admin.query('rollback');
    await admin.end();
    await stuck;
    expect(code).toBe(1);
    expect(app.output()).toMatch(
      /SHUTDOWN_TIMEOUT_MS.*(closing-http|stopping-jobs|closing-database)/,
    );
    expect(afterMs).toBeLessThan(20_000);

    const second = await startBuiltApp({ SHUTDOWN_DRAIN_DELAY_MS: '10000' });
    second.child.kill('SIGTERM');
    await sleep(300);
    const secondSignalAt = Date.now();
    second.child.kill('SIGTERM');
    const forced = await second.exited;
    expect(forced.code).toBe(1);
    expect(Date.now() - secondSignalAt).toBeLessThan(1000);
  }, 60_000);
});

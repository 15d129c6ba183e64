import pg from 'pg';
import { withDatabase } from '../src/database/database-admin.js';
import { type PgBouncer, pgBouncerInstalled, startPgBouncer } from './support/pgbouncer.js';
import { expectProblem } from './support/problem.js';
import { adminHeadersFor, type BuiltApp, startBuiltApp } from './support/spawned-app.js';

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const startedAt = Date.now();
  while (!(await condition())) {
    if (Date.now() - startedAt > timeoutMs)
      throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
  return Date.now() - startedAt;
}

async function expect503Problem(response: Response): Promise<void> {
  const text = await response.text();
  const body = JSON.parse(text) as Record<string, unknown>;
  expectProblem({ status: response.status, headers: response.headers, body, text }, 503);
  expect(response.headers.get('retry-after')).toBeTruthy();
}

/** PgBouncer's admin console: PAUSE and RESUME (simple query protocol only). */
async function adminConsole(bouncer: PgBouncer, command: 'PAUSE' | 'RESUME'): Promise<void> {
  const console = new pg.Client({ connectionString: withDatabase(bouncer.url, 'pgbouncer') });
  await console.connect();
  try {
    await console.query(command);
  } finally {
    await console.end();
  }
}

// Without PgBouncer installed (a laptop running `npm test`) there is nothing to stop; .ci/run
// installs it, so CI always runs this suite.
const describeWithPgBouncer = pgBouncerInstalled() ? describe : describe.skip;

describeWithPgBouncer('behind PgBouncer in transaction mode, when the pooler refuses', () => {
  let bouncer: PgBouncer;
  let app: BuiltApp;
  let base: string;
  let headers: Record<string, string>;
  const ready = (): Promise<Response> => fetch(`${base}/health/ready`);
  const customers = (): Promise<Response> => fetch(`${base}/api/v1/customers`, { headers });

  beforeAll(async () => {
    const direct = process.env.DATABASE_DIRECT_URL ?? process.env.DATABASE_URL!;
    // A short wait in PgBouncer's queue, so that a paused pooler refuses within the test.
    bouncer = await startPgBouncer(direct, { poolSize: 3, queryWaitTimeoutSeconds: 2 });
    app = await startBuiltApp({ DATABASE_URL: bouncer.url, DATABASE_DIRECT_URL: direct });
    base = app.base;
    headers = await adminHeadersFor(base);
  });
  afterAll(async () => {
    app?.child.kill('SIGKILL');
    await app?.exited;
    await bouncer?.dispose();
  });

  it('a stopped pooler: readiness and the API answer 503 with Retry-After, and recover once it is back', async () => {
    expect((await ready()).status).toBe(200);
    expect((await customers()).status).toBe(200);

    await bouncer.stop();
    await waitFor(async () => (await ready()).status === 503, 5000);
    expect((await ready()).headers.get('retry-after')).toBeTruthy();
    expect((await fetch(`${base}/health/live`)).status).toBe(200);
    await expect503Problem(await customers());

    await bouncer.start();
    await waitFor(async () => (await ready()).status === 200, 10_000);
    expect((await customers()).status).toBe(200);
    expect(app.child.exitCode).toBeNull();
  }, 40_000);

  it('a paused pooler: a query that waits past query_wait_timeout is a 503, not a 500', async () => {
    await adminConsole(bouncer, 'PAUSE');
    try {
      // PgBouncer reports query_wait_timeout as SQLSTATE 08P01 (database/pooler-outage.ts).
      await expect503Problem(await customers());
      expect((await ready()).status).toBe(503);
    } finally {
      await adminConsole(bouncer, 'RESUME');
    }
    await waitFor(async () => (await ready()).status === 200, 10_000);
    expect((await customers()).status).toBe(200);
    expect(app.child.exitCode).toBeNull();
  }, 40_000);
});

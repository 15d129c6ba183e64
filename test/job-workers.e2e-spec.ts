import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import {
  createDatabaseIfMissing,
  dropDatabase,
  withDatabase,
} from '../src/database/database-admin.js';
import { eventually } from './support/fixtures.js';
import { sendJob, withJobClient } from './support/job-client.js';
import { adminHeadersFor, type BuiltApp, startBuiltApp } from './support/spawned-app.js';

type LogLine = Record<string, unknown>;
/** The JSON lines a process has written so far; a line still being written is left out. */
const linesOf = (app: BuiltApp): LogLine[] =>
  app
    .output()
    .split('\n')
    .slice(0, -1)
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

/**
 * Job workers in built processes, the way production runs them. The suite has a database of its
 * own: a worker of any other suite on a shared database would take its jobs.
 */
describe('job workers in two processes on one database', () => {
  const server = process.env.DATABASE_URL!;
  const name = `${new URL(server).pathname.slice(1)}_workers`;
  const url = withDatabase(server, name);
  const workers = {
    DATABASE_URL: url,
    JOB_WORKERS: 'true',
    ORDER_CONFIRM_DELAY_MS: '500',
    LOG_LEVEL: 'info',
  };
  let first: BuiltApp;
  let second: BuiltApp;
  let db: pg.Client;

  beforeAll(async () => {
    await createDatabaseIfMissing(server, name);
    await promisify(execFile)(process.execPath, ['dist/database/cli/migrate.js'], {
      env: { ...process.env, DATABASE_URL: url },
    });
    // A queue as an older release created it: no retries, no dead-letter queue.
    await withJobClient((boss) => boss.createQueue('order_confirm', { retryLimit: 0 }), url);
    // The second process starts where the first has already created every queue.
    first = await startBuiltApp(workers);
    second = await startBuiltApp(workers);
    db = new pg.Client({ connectionString: url });
    await db.connect();
  }, 60_000);
  afterAll(async () => {
    await db?.end();
    for (const app of [first, second]) app?.child.kill('SIGTERM');
    await Promise.all([first?.exited, second?.exited]);
    await dropDatabase(server, name);
  });

  const processed = async (queue: string, outcome: string): Promise<number> => {
    const pattern = new RegExp(
      `^jobs_processed_total\\{queue="${queue}",outcome="${outcome}"\\} (\\d+)$`,
      'm',
    );
    let total = 0;
    for (const app of [first, second]) {
      total += Number(pattern.exec(await (await fetch(`${app.base}/metrics`)).text())?.[1] ?? 0);
    }
    return total;
  };

  it("brings a queue an older release created to this release's retry policy", async () => {
    const { rows } = await db.query<{ retry_limit: number; dead_letter: string | null }>(
      `select retry_limit, dead_letter from pgboss.queue where name = 'order_confirm'`,
    );
    expect(rows).toEqual([{ retry_limit: 4, dead_letter: 'order_confirm_dead_letter' }]);
  });

  it('runs each due job exactly once, in either process; an API-only process takes none', async () => {
    // Started like every other suite's app: the test run's JOB_WORKERS=false, so no workers.
    const apiOnly = await startBuiltApp({
      DATABASE_URL: url,
      ORDER_CONFIRM_DELAY_MS: '500',
      LOG_LEVEL: 'info',
    });
    try {
      const apps = [first, second, apiOnly];
      const headers = {
        ...(await adminHeadersFor(first.base)),
        'content-type': 'application/json',
      };
      const post = async <T>(
        app: BuiltApp,
        path: string,
        body: unknown,
        requestId?: string,
      ): Promise<T> => {
        const response = await fetch(`${app.base}${path}`, {
          method: 'POST',
          headers: { ...headers, ...(requestId ? { 'x-request-id': requestId } : {}) },
          body: JSON.stringify(body),
        });
        if (response.status !== 201) throw new Error(`${path} answered ${response.status}`);
        return (await response.json()) as T;
      };
      const customer = await post<{ id: string }>(first, '/api/v1/customers', {
        name: 'Workers',
        email: `workers-${randomUUID()}@example.com`,
      });
      const product = await post<{ id: string }>(first, '/api/v1/products', {
        sku: `SKU-${randomUUID()}`,
        name: 'Worked',
        priceCents: 100,
        currency: 'EUR',
        stock: 100,
      });
      const placed = await Promise.all(
        Array.from({ length: 21 }, async (_, i) => {
          const requestId = `order-${randomUUID()}`;
          const order = await post<{ id: string }>(
            apps[i % apps.length],
            '/api/v1/orders',
            { customerId: customer.id, items: [{ productId: product.id, quantity: 1 }] },
            requestId,
          );
          return { orderId: order.id, requestId };
        }),
      );
      const ids = placed.map((order) => order.orderId);
      await eventually(
        async () => {
          const { rows } = await db.query<{ count: string }>(
            `select count(*) from orders where id = any($1) and status = 'confirmed'`,
            [ids],
          );
          return Number(rows[0].count) === ids.length;
        },
        20_000,
        'confirmation of 21 orders',
      );

      // A handler logs after its transaction commits: the line can trail the row by a moment.
      const confirmedLines = (app: BuiltApp): LogLine[] =>
        linesOf(app).filter(
          (line) => line.msg === 'order confirmed' && ids.includes(line.orderId as string),
        );
      await eventually(
        () => Promise.resolve(apps.flatMap(confirmedLines).length >= ids.length),
        5_000,
        "every order's 'order confirmed' line",
      );
      const confirmedBy = apps.map(confirmedLines);
      const all = confirmedBy.flat();
      expect(all.map((line) => line.orderId).sort()).toEqual([...ids].sort());
      for (const { orderId, requestId } of placed) {
        expect(all.find((line) => line.orderId === orderId)).toMatchObject({
          reqId: requestId,
          queue: 'order_confirm',
        });
      }
      // Which worker takes which job is theirs to race for: since a worker fetches up to 10 jobs at
      // once (decision 0051), one of them may take all 21. Exactly once between the two is the rule.
      expect(confirmedBy[0].length + confirmedBy[1].length).toBe(ids.length);
      expect(confirmedBy[2]).toEqual([]);
      const { rows: jobs } = await db.query<{ id: string; state: string; retry_count: number }>(
        `select id, state, retry_count from pgboss.job where name = 'order_confirm' and data->>'orderId' = any($1)`,
        [ids],
      );
      expect(jobs).toHaveLength(ids.length);
      expect(jobs.every((job) => job.state === 'completed')).toBe(true);
      // A retry is allowed (a busy machine can make pg-boss fail an attempt), a silent one is not:
      // each retried attempt says why the one before it failed (issue 21, item 10).
      const retryLines = [first, second]
        .flatMap(linesOf)
        .filter((line) => line.msg === 'job retried after a failed attempt');
      for (const job of jobs.filter((candidate) => candidate.retry_count > 0)) {
        expect(retryLines.filter((line) => line.jobId === job.id)).toHaveLength(job.retry_count);
      }
      await eventually(
        async () => (await processed('order_confirm', 'completed')) === ids.length,
        5_000,
        `jobs_processed_total of ${ids.length} completed confirmations`,
      );
    } finally {
      apiOnly.child.kill('SIGTERM');
      await apiOnly.exited;
    }
  }, 60_000);

  it('says why an attempt that pg-boss failed, not the handler, was retried', async () => {
    // An attempt that outlived its expiry, as when a busy machine starves the worker holding it:
    // pg-boss's supervisor fails it and the job runs again, with no handler error to log.
    const requestId = `expired-${randomUUID()}`;
    const orderId = randomUUID();
    const id = await sendJob(
      'order_confirm',
      { orderId, requestId },
      { startAfter: new Date(Date.now() + 3_600_000), retryDelay: 1 },
      url,
    );
    await db.query(
      `update pgboss.job set state = 'active', started_on = now() - interval '2 minutes'
       where name = 'order_confirm' and id = $1`,
      [id],
    );
    await withJobClient((boss) => boss.supervise('order_confirm'), url, {
      monitorIntervalSeconds: 1,
    });
    const retried = (): LogLine[] =>
      [first, second]
        .flatMap(linesOf)
        .filter((line) => line.jobId === id && line.msg === 'job retried after a failed attempt');
    await eventually(() => Promise.resolve(retried().length === 1), 15_000, 'the retry line');
    expect(retried()[0]).toMatchObject({
      level: 40,
      queue: 'order_confirm',
      orderId,
      requestId,
      attempt: 2,
      previousAttempt: expect.objectContaining({
        value: expect.objectContaining({ message: 'job timed out' }),
      }),
    });
  }, 30_000);

  it('says why a job was retried when the statement settling its batch failed after the handler', async () => {
    // The handler ran (here: found no such order, so changed nothing) and returned; the UPDATE that
    // completes its batch then fails, as when pg-boss's pool has no connection for it in time.
    // pg-boss fails the batch and retries it, and Keel's handler never saw an error.
    const orderId = randomUUID();
    await db.query(`
      create function refuse_first_settle() returns trigger language plpgsql as $$
      begin
        if new.state = 'completed' and old.retry_count = 0 and old.data->>'orderId' = '${orderId}' then
          raise exception 'settle refused by the test';
        end if;
        return new;
      end $$`);
    await db.query(`create trigger refuse_first_settle before update on pgboss.job
      for each row execute function refuse_first_settle()`);
    try {
      const id = await sendJob('order_confirm', { orderId }, { retryDelay: 1 }, url);
      const retried = (): LogLine[] =>
        [first, second]
          .flatMap(linesOf)
          .filter((line) => line.jobId === id && line.msg === 'job retried after a failed attempt');
      await eventually(() => Promise.resolve(retried().length === 1), 15_000, 'the retry line');
      expect(retried()[0]).toMatchObject({
        level: 40,
        queue: 'order_confirm',
        orderId,
        attempt: 2,
      });
      expect(JSON.stringify(retried()[0].previousAttempt)).toContain('settle refused by the test');
      // Nothing else was logged about the failed attempt: without the retry line it went unsaid.
      expect(
        [first, second].flatMap(linesOf).filter((line) => line.jobId === id && line.level === 50),
      ).toEqual([]);
    } finally {
      await db.query(`drop trigger refuse_first_settle on pgboss.job`);
      await db.query(`drop function refuse_first_settle()`);
    }
  }, 30_000);

  it('logs every failed attempt and the dead letter at error with queue, job id and request id', async () => {
    const requestId = `broken-${randomUUID()}`;
    const broken = await sendJob(
      'order_confirm',
      { orderId: 'not-an-order', requestId },
      { retryLimit: 1, retryDelay: 1 },
      url,
    );
    // pg-boss's cron sends `null` data; on a queue that expects an order it fails, and is still logged.
    const empty = await sendJob('order_confirm', null, { retryLimit: 0 }, url);
    const byTime = (lines: LogLine[]): LogLine[] =>
      lines.sort((a, b) => (a.time as number) - (b.time as number));
    const errorsAbout = (jobId: string): LogLine[] =>
      [first, second].flatMap(linesOf).filter((line) => line.level === 50 && line.jobId === jobId);
    await eventually(
      () => Promise.resolve(errorsAbout(broken).length === 3 && errorsAbout(empty).length === 2),
      20_000,
      'the error lines of both jobs',
    );

    const [firstAttempt, secondAttempt, deadLetter] = byTime(errorsAbout(broken));
    for (const [line, attempt] of [
      [firstAttempt, 1],
      [secondAttempt, 2],
    ] as const) {
      expect(line).toMatchObject({
        queue: 'order_confirm',
        requestId,
        attempt,
        orderId: 'not-an-order',
        err: expect.objectContaining({ message: 'order job without a valid orderId' }),
      });
    }
    expect(deadLetter).toMatchObject({
      queue: 'order_confirm',
      requestId,
      attempts: 2,
      deadLetterJobId: expect.any(String),
      msg: 'job exhausted its retries and reached the dead-letter queue',
    });
    expect(byTime(errorsAbout(empty))).toEqual([
      expect.objectContaining({ queue: 'order_confirm', requestId: null, attempt: 1 }),
      expect.objectContaining({ queue: 'order_confirm', requestId: null, attempts: 1 }),
    ]);
    expect(await processed('order_confirm', 'failed')).toBe(3);
    expect(await processed('order_confirm', 'dead_lettered')).toBe(2);
  }, 30_000);
});

import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import {
  createDatabaseIfMissing,
  dropDatabase,
  withDatabase,
} from '../src/database/database-admin.js';
import { workerPids, until } from './support/cluster-processes.js';
import { adminHeadersFor, type BuiltApp, startBuiltApp } from './support/spawned-app.js';

type LogLine = Record<string, unknown>;
const linesOf = (app: BuiltApp): LogLine[] =>
  app
    .output()
    .split('\n')
    .slice(0, -1)
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

/**
 * Jobs in a cluster (issue 25): both workers of one WEB_CONCURRENCY=2 process run job workers on
 * one queue, and each job still runs once. The suite has a database of its own: job workers on a
 * shared database would take other suites' jobs (test/job-workers.e2e-spec.ts).
 */
describe('WEB_CONCURRENCY=2: each job runs once across the workers', () => {
  const server = process.env.DATABASE_URL!;
  const name = `${new URL(server).pathname.slice(1)}_cluster_jobs`;
  const url = withDatabase(server, name);
  let app: BuiltApp;
  let db: pg.Client;

  beforeAll(async () => {
    await createDatabaseIfMissing(server, name);
    await promisify(execFile)(process.execPath, ['dist/database/cli/migrate.js'], {
      env: { ...process.env, DATABASE_URL: url },
    });
    app = await startBuiltApp(
      {
        WEB_CONCURRENCY: '2',
        DATABASE_URL: url,
        JOB_WORKERS: 'true',
        ORDER_CONFIRM_DELAY_MS: '500',
        LOG_LEVEL: 'info',
      },
      { startTimeoutMs: 40_000 },
    );
    await until(() => /2 workers serving/.test(app.output()), 30_000, 'both workers');
    db = new pg.Client({ connectionString: url });
    await db.connect();
  }, 90_000);
  afterAll(async () => {
    await db?.end();
    if (app?.child.exitCode === null) app.child.kill('SIGTERM');
    await app?.exited;
    await dropDatabase(server, name);
  });

  it('confirms every placed order once, in one worker or the other, and /metrics counts each once', async () => {
    const workers = workerPids(app.child.pid!);
    expect(workers).toHaveLength(2);
    const headers = { ...(await adminHeadersFor(app.base)), 'content-type': 'application/json' };
    const post = async <T>(path: string, body: unknown): Promise<T> => {
      const response = await fetch(`${app.base}${path}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
      if (response.status !== 201) throw new Error(`${path} answered ${response.status}`);
      return (await response.json()) as T;
    };
    const customer = await post<{ id: string }>('/api/v1/customers', {
      name: 'Cluster jobs',
      email: `cluster-jobs-${randomUUID()}@example.com`,
    });
    const product = await post<{ id: string }>('/api/v1/products', {
      sku: `SKU-${randomUUID()}`,
      name: 'Clustered',
      priceCents: 100,
      currency: 'EUR',
      stock: 100,
    });
    const ids = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const order = await post<{ id: string }>('/api/v1/orders', {
          customerId: customer.id,
          items: [{ productId: product.id, quantity: 1 }],
        });
        return order.id;
      }),
    );

    await until(
      async () => {
        const { rows } = await db.query<{ count: string }>(
          `select count(*) from orders where id = any($1) and status = 'confirmed'`,
          [ids],
        );
        return Number(rows[0].count) === ids.length;
      },
      30_000,
      'confirmation of 20 orders',
    );
    // A handler logs after its transaction commits: the line can trail the row by a moment.
    const confirmed = (): LogLine[] =>
      linesOf(app).filter(
        (line) => line.msg === 'order confirmed' && ids.includes(line.orderId as string),
      );
    await until(() => confirmed().length >= ids.length, 5_000, "every 'order confirmed' line");
    const lines = confirmed();
    expect(lines.map((line) => line.orderId).sort()).toEqual([...ids].sort());
    // Every line comes from one of the two workers (the primary runs no job).
    expect(lines.every((line) => workers.includes(line.pid as number))).toBe(true);

    const { rows: jobs } = await db.query<{ state: string }>(
      `select state from pgboss.job where name = 'order_confirm' and data->>'orderId' = any($1)`,
      [ids],
    );
    expect(jobs).toHaveLength(ids.length);
    expect(jobs.every((job) => job.state === 'completed')).toBe(true);

    // The scrape sums both workers' counters (decision 0177): each job counted once, whichever ran it.
    await until(
      async () => {
        const text = await (await fetch(`${app.base}/metrics`)).text();
        const count =
          /^jobs_processed_total\{queue="order_confirm",outcome="completed"\} (\d+)$/m.exec(
            text,
          )?.[1];
        return Number(count ?? 0) === ids.length;
      },
      10_000,
      `jobs_processed_total of ${ids.length} completed confirmations`,
    );
  }, 90_000);
});

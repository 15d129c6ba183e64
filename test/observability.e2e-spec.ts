import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { adminHeadersFor, startBuiltApp, type BuiltApp } from './support/spawned-app.js';

type LogLine = Record<string, unknown>;
const sleep = (ms: number): Promise<void> => new Promise((wait) => setTimeout(wait, ms));

describe('logs and metrics of the built app', () => {
  let app: BuiltApp;
  let base: string;
  let admin: Record<string, string>;
  const lines = (): LogLine[] =>
    app
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as LogLine);
  const accessLines = (): LogLine[] => lines().filter((line) => line.context === 'AccessLog');

  beforeAll(async () => {
    app = await startBuiltApp({ LOG_LEVEL: 'info' });
    base = app.base;
    admin = await adminHeadersFor(base);
  });
  afterAll(async () => {
    app.child.kill('SIGTERM');
    await app.exited;
  });

  it('writes exactly one JSON access line per request, with method, route template, status, duration and request id', async () => {
    const id = randomUUID();
    const requestId = `trace-${randomUUID()}`;
    await fetch(`${base}/api/v1/customers/${id}`, {
      headers: { ...admin, 'x-request-id': requestId },
    });
    await sleep(200);
    const mine = accessLines().filter((line) => line.reqId === requestId);
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({
      method: 'GET',
      route: '/api/v1/customers/:id',
      url: `/api/v1/customers/${id}`,
      status: 404,
      durationMs: expect.any(Number),
    });
  });

  it('tags every line written while handling a POST with a body with its request id', async () => {
    const requestId = `trace-${randomUUID()}`;
    const email = `log-${randomUUID()}@example.com`;
    const post = (): Promise<Response> =>
      fetch(`${base}/api/v1/customers`, {
        method: 'POST',
        headers: { ...admin, 'content-type': 'application/json', 'x-request-id': requestId },
        body: JSON.stringify({ name: 'Log', email, password: 'hunter2-hunter2' }),
      });
    expect((await post()).status).toBe(201);
    expect((await post()).status).toBe(409);
    await sleep(200);
    const refused = lines().find(
      (line) => line.msg === 'request refused' && line.requestId === requestId,
    );
    expect(refused).toMatchObject({ reqId: requestId, status: 409 });
    expect(app.output()).not.toContain('hunter2-hunter2');
  });

  it('carries the request id into the jobs the request enqueued (their log lines are tagged with it)', async () => {
    const headers = { ...admin, 'content-type': 'application/json' };
    const post = (path: string, body: unknown, extra: Record<string, string> = {}) =>
      fetch(`${base}${path}`, {
        method: 'POST',
        headers: { ...headers, ...extra },
        body: JSON.stringify(body),
      });
    const customer = (await (
      await post('/api/v1/customers', { name: 'Jobs', email: `jobs-${randomUUID()}@example.com` })
    ).json()) as { id: string };
    const product = (await (
      await post('/api/v1/products', {
        sku: `SKU-${randomUUID()}`,
        name: 'Traced',
        priceCents: 100,
        currency: 'EUR',
        stock: 5,
      })
    ).json()) as { id: string };
    const requestId = `order-${randomUUID()}`;
    const order = await post(
      '/api/v1/orders',
      { customerId: customer.id, items: [{ productId: product.id, quantity: 1 }] },
      { 'x-request-id': requestId },
    );
    expect(order.status).toBe(201);
    const { id: orderId } = (await order.json()) as { id: string };

    const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
    try {
      const { rows } = await db.query<{
        name: string;
        data: { orderId: string; requestId?: string };
      }>("select name, data from pgboss.job where data->>'orderId' = $1 order by name", [orderId]);
      expect(rows.map((row) => row.name)).toEqual(['order_confirm', 'order_expire']);
      for (const row of rows) expect(row.data.requestId).toBe(requestId);
    } finally {
      await db.end();
    }
  });

  it('logs probes and metrics scrapes below info, so they do not drown the log', async () => {
    const requestId = `probe-${randomUUID()}`;
    await fetch(`${base}/health/ready`, { headers: { 'x-request-id': requestId } });
    await fetch(`${base}/metrics`, { headers: { 'x-request-id': requestId } });
    await sleep(200);
    expect(accessLines().filter((line) => line.reqId === requestId)).toEqual([]);
  });

  it('never writes an authorization header or cookie', async () => {
    await fetch(`${base}/api/v1/nope`, {
      headers: { authorization: 'Bearer secret-token-value', cookie: 'session=secret-cookie' },
    });
    await sleep(200);
    expect(app.output()).not.toMatch(/secret-token-value|secret-cookie/);
  });

  it('serves Prometheus metrics: process, event loop, HTTP durations by route template, database pool', async () => {
    await fetch(`${base}/api/v1/customers?limit=1`, { headers: admin });
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_p99_seconds /m);
    expect(text).toMatch(
      /^http_request_duration_seconds_bucket\{.*method="GET".*route="\/api\/v1\/customers".*status_code="200"/m,
    );
    expect(text).toMatch(/^db_pool_connections_max 20$/m);
    expect(text).toMatch(/^db_pool_connections_open \d+$/m);
  });
});

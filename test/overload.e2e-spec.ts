import { randomUUID } from 'node:crypto';
import { type BuiltApp, adminHeadersFor, startBuiltApp } from './support/spawned-app.js';

const STOCK = 20;
const BURST = 300;
/** A browser app allowed by CORS_ORIGINS: it must be able to read a refusal and its Retry-After. */
const BROWSER_ORIGIN = 'https://app.example.com';

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/**
 * Issue 10, target 3: a burst far beyond what two requests at a time can serve within 300 ms. The
 * excess is refused early with 503 problem documents, what was admitted completes, nothing is
 * oversold, probes answer throughout, and the instance is ready again once the burst is over.
 */
describe('overload: admission control in front of the database', () => {
  let app: BuiltApp;
  let admin: Record<string, string>;
  let customerId: string;
  let productId: string;

  const call = async (
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> => {
    const response = await fetch(`${app.base}${path}`, {
      method,
      headers: { ...admin, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {},
    };
  };
  const order = (headers: Record<string, string> = {}) =>
    call('POST', '/api/v1/orders', { customerId, items: [{ productId, quantity: 1 }] }, headers);

  beforeAll(async () => {
    app = await startBuiltApp(
      {
        LOG_LEVEL: 'info',
        DB_POOL_MAX: '4',
        ADMISSION_CONCURRENCY: '2',
        ADMISSION_MAX_WAIT_MS: '300',
        CORS_ORIGINS: BROWSER_ORIGIN,
      },
      // The shared machine can be slow to start a process.
      { startTimeoutMs: 60_000 },
    );
    admin = await adminHeadersFor(app.base);
    const customer = await call('POST', '/api/v1/customers', {
      name: 'Burst Buyer',
      email: `burst-${randomUUID()}@example.com`,
    });
    customerId = customer.body.id as string;
    const product = await call('POST', '/api/v1/products', {
      sku: `SKU-${randomUUID()}`,
      name: 'Scarce widget',
      priceCents: 500,
      currency: 'EUR',
      stock: STOCK,
    });
    productId = product.body.id as string;
  }, 60_000);
  afterAll(async () => {
    app?.child.kill('SIGTERM');
    await app?.exited;
  });

  it('refuses the excess with 503 + Retry-After, completes the rest and oversells nothing', async () => {
    const burst = Promise.all(
      Array.from({ length: BURST }, () => order({ origin: BROWSER_ORIGIN })),
    );
    // Probes are never held in line nor refused, even in the middle of the burst.
    const probes = await Promise.all([call('GET', '/health/live'), call('GET', '/metrics')]);
    const answers = await burst;

    expect(probes.map((probe) => probe.status)).toEqual([200, 200]);
    const count = (status: number) => answers.filter((answer) => answer.status === status).length;
    const shed = answers.filter((answer) => answer.status === 503);
    expect(shed.length).toBeGreaterThan(0);
    // Everything admitted completed: an order or "out of stock", no error, no timeout.
    expect(count(201) + count(409) + shed.length).toBe(BURST);
    expect(count(201)).toBeGreaterThan(0);
    expect(count(201)).toBeLessThanOrEqual(STOCK);

    for (const answer of shed) {
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      // The 300 ms bound rounded up, up to twice that while many refused clients are due back.
      expect(['1', '2']).toContain(answer.headers.get('retry-after'));
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
      expect(answer.headers.get('x-frame-options')).toBe('DENY');
      expect(answer.headers.get('access-control-allow-origin')).toBe(BROWSER_ORIGIN);
      expect(answer.headers.get('access-control-expose-headers')).toMatch(/Retry-After/);
      expect(answer.body).toMatchObject({
        type: 'https://keel.dev/problems/overloaded',
        status: 503,
        instance: '/api/v1/orders',
        requestId: answer.headers.get('x-request-id'),
      });
    }

    const product = await call('GET', `/api/v1/products/${productId}`);
    const orders = await call('GET', `/api/v1/customers/${customerId}/orders?limit=100`);
    expect(product.body.stock).toBe(STOCK - count(201));
    expect((orders.body.items as unknown[]).length).toBe(count(201));

    const metrics = await (await fetch(`${app.base}/metrics`)).text();
    const counted = [...metrics.matchAll(/^http_requests_shed_total\{[^}]*\} (\d+)$/gm)].reduce(
      (sum, [, value]) => sum + Number(value),
      0,
    );
    expect(counted).toBe(shed.length);
    // Nothing runs or waits once every answer is in; the refused clients' connections are held
    // for at least their 1 s Retry-After.
    const gauge = (name: string) => Number(metrics.match(new RegExp(`^${name} (\\d+)$`, 'm'))?.[1]);
    expect(gauge('http_admission_requests_running')).toBe(0);
    expect(gauge('http_admission_requests_waiting')).toBe(0);
    expect(gauge('http_admission_connections_held')).toBeGreaterThan(0);
    // Each refused request still has its access line.
    const lines = app.output().split('\n');
    const refused = lines.filter((line) => line.includes('"status":503'));
    expect(refused.length).toBeGreaterThanOrEqual(shed.length);
  }, 60_000);

  it('is ready again after the burst, and an idempotency key still settles one order', async () => {
    expect((await call('GET', '/health/ready')).status).toBe(200);
    const restocked = await call('POST', '/api/v1/products', {
      sku: `SKU-${randomUUID()}`,
      name: 'Restocked widget',
      priceCents: 500,
      currency: 'EUR',
      stock: 5,
    });
    productId = restocked.body.id as string;
    const key = { 'idempotency-key': randomUUID() };
    const first = await order(key);
    const again = await order(key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
  });
});

import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { waitForLockWaiters } from './support/lock-waiters.js';
import { adminHeadersFor, type BuiltApp, startBuiltApp } from './support/spawned-app.js';

interface Sent {
  key: string;
  productId: string;
  status?: number;
  orderId?: string;
}

/** A process killed with keyed orders in flight, and the clients that retry them afterwards. */
describe('Idempotency-Key across a crash', () => {
  let db: pg.Client;
  const running: BuiltApp[] = [];
  beforeAll(async () => {
    db = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    for (const app of running) app.child.kill('SIGTERM');
    await Promise.all(running.map((app) => app.exited));
  });

  it('lets every request unanswered at a SIGKILL be retried with its key: 201, one order per key', async () => {
    let app: BuiltApp = await startBuiltApp();
    running.push(app);
    const admin = { ...(await adminHeadersFor(app.base)), 'content-type': 'application/json' };
    const post = async (path: string, body: unknown, key?: string): Promise<Response> =>
      fetch(`${app.base}${path}`, {
        method: 'POST',
        headers: { ...admin, ...(key ? { 'idempotency-key': key } : {}) },
        body: JSON.stringify(body),
      });
    const created = async (path: string, body: unknown): Promise<string> =>
      ((await (await post(path, body)).json()) as { id: string }).id;
    const customerId = await created('/api/v1/customers', {
      name: 'Crash',
      email: `crash-${randomUUID()}@example.com`,
    });
    const newProduct = (): Promise<string> =>
      created('/api/v1/products', {
        sku: `SKU-${randomUUID()}`,
        name: 'Crash',
        priceCents: 100,
        currency: 'EUR',
        stock: 50,
      });
    const [free, held] = [await newProduct(), await newProduct()];
    const orderOnce = async (sent: Sent): Promise<void> => {
      const body = { customerId, items: [{ productId: sent.productId, quantity: 1 }] };
      try {
        const response = await post('/api/v1/orders', body, sent.key);
        sent.status = response.status;
        sent.orderId = ((await response.json()) as { id?: string }).id;
      } catch {
        // The process died before it answered.
      }
    };

    // Half the orders wait, key claimed, for the held product's row lock when the process dies.
    // Past any pooler, as a session of another client would be (.ci/run's PgBouncer pass).
    const lock = new pg.Client({
      connectionString: process.env.DATABASE_DIRECT_URL ?? process.env.DATABASE_URL,
    });
    await lock.connect();
    let sent: Sent[];
    try {
      await lock.query('begin');
      await lock.query('select 1 from products where id = $1 for update', [held]);
      sent = Array.from({ length: 20 }, (_, i) => ({
        key: randomUUID(),
        productId: i % 2 === 0 ? free : held,
      }));
      const inFlight = Promise.all(sent.map(orderOnce));
      await waitForLockWaiters('update "products"', 10);
      app.child.kill('SIGKILL');
      await app.exited;
      await inFlight;
    } finally {
      await lock.end();
    }
    const unanswered = sent.filter((one) => one.status === undefined);
    expect(unanswered.length).toBeGreaterThanOrEqual(10);

    app = await startBuiltApp();
    running.push(app);
    for (const retry of unanswered) await orderOnce(retry);

    expect(sent.map((one) => one.status)).toEqual(sent.map(() => 201));
    const orderIds = sent.map((one) => one.orderId);
    expect(new Set(orderIds).size).toBe(20);
    const { rows: orders } = await db.query<{ id: string }>(
      'select id from orders where customer_id = $1',
      [customerId],
    );
    expect(orders.map((order) => order.id).sort()).toEqual([...orderIds].sort());
    const { rows: keys } = await db.query<{ key: string; order_id: string }>(
      'select key, order_id from idempotency_keys where key = any($1)',
      [sent.map((one) => one.key)],
    );
    expect(Object.fromEntries(keys.map((row) => [row.key, row.order_id]))).toEqual(
      Object.fromEntries(sent.map((one) => [one.key, one.orderId])),
    );
    const { rows: stock } = await db.query<{ id: string; stock: number }>(
      'select id, stock from products where id = any($1)',
      [[free, held]],
    );
    expect(Object.fromEntries(stock.map((row) => [row.id, row.stock]))).toEqual({
      [free]: 40,
      [held]: 40,
    });
  }, 120_000);
});

import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  createCustomer,
  createProduct,
  type OrderBody,
  placeOrder,
  stockOf,
} from './support/fixtures.js';
import { expectProblem } from './support/problem.js';
import { type Account, actingAsAdmin, registerCustomer } from './support/auth.js';
import { waitForLockWaiters } from './support/lock-waiters.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface OrderPage {
  items: OrderBody[];
  nextCursor: string | null;
}

describe('orders API', () => {
  let api: TestApp;
  let customerId: string;
  beforeAll(async () => {
    api = await actingAsAdmin(await startTestApp());
    customerId = await createCustomer(api);
  });
  afterAll(() => api.close());

  describe('POST /api/v1/orders', () => {
    it('places an order with 201, Location, prices copied and stock taken', async () => {
      const mug = await createProduct(api, { priceCents: 1250, stock: 10 });
      const pen = await createProduct(api, { priceCents: 199, stock: 3 });
      const reply = await placeOrder(api, customerId, [
        { productId: mug.id, quantity: 2 },
        { productId: pen.id, quantity: 3 },
      ]);
      expect(reply.status).toBe(201);
      expect(reply.headers.get('location')).toBe(`/api/v1/orders/${reply.body.id}`);
      expect(reply.body).toMatchObject({
        customerId,
        status: 'pending',
        totalCents: 2 * 1250 + 3 * 199,
        currency: 'EUR',
        version: 1,
      });
      expect(reply.body.items).toEqual(
        expect.arrayContaining([
          { productId: mug.id, quantity: 2, unitPriceCents: 1250 },
          { productId: pen.id, quantity: 3, unitPriceCents: 199 },
        ]),
      );
      expect(await stockOf(api, mug.id)).toBe(8);
      expect(await stockOf(api, pen.id)).toBe(0);
      const fetched = await api.request<OrderBody>('GET', `/api/v1/orders/${reply.body.id}`);
      expect(fetched.body).toEqual(reply.body);
    });

    it('refuses more units than in stock with 409 naming the product, and takes nothing', async () => {
      const plenty = await createProduct(api, { stock: 10 });
      const scarce = await createProduct(api, { name: 'Scarce thing', stock: 1 });
      const problem = expectProblem(
        await placeOrder(api, customerId, [
          { productId: plenty.id, quantity: 1 },
          { productId: scarce.id, quantity: 2 },
        ]),
        409,
      );
      expect(problem.detail).toContain(scarce.id);
      expect(await stockOf(api, plenty.id)).toBe(10);
      expect(await stockOf(api, scarce.id)).toBe(1);
    });

    it('keeps a product that is part of an order: DELETE answers 409', async () => {
      const product = await createProduct(api);
      await placeOrder(api, customerId, [{ productId: product.id, quantity: 1 }]);
      expectProblem(await api.request('DELETE', `/api/v1/products/${product.id}`), 409);
      expect(await stockOf(api, product.id)).toBe(9);
    });

    it('refuses products in two currencies with 422', async () => {
      const euro = await createProduct(api, { currency: 'EUR' });
      const dollar = await createProduct(api, { currency: 'USD' });
      expectProblem(
        await placeOrder(api, customerId, [
          { productId: euro.id, quantity: 1 },
          { productId: dollar.id, quantity: 1 },
        ]),
        422,
      );
      expect(await stockOf(api, euro.id)).toBe(10);
    });

    it('refuses an unknown customer, an unknown product and an inactive product with 422', async () => {
      const product = await createProduct(api, { stock: 10 });
      const inactive = await createProduct(api, { active: false });
      const unknownCustomer = randomUUID();
      const refused = expectProblem(
        await placeOrder(api, unknownCustomer, [{ productId: product.id, quantity: 1 }]),
        422,
      );
      expect(refused.detail).toBe(`Customer ${unknownCustomer} does not exist.`);
      // Its foreign key refused the order after the stock was taken: the rollback returned it.
      expect(await stockOf(api, product.id)).toBe(10);
      expectProblem(
        await placeOrder(api, customerId, [{ productId: randomUUID(), quantity: 1 }]),
        422,
      );
      expectProblem(
        await placeOrder(api, customerId, [{ productId: inactive.id, quantity: 1 }]),
        422,
      );
    });

    it.each([
      ['no items', []],
      ['a zero quantity', [{ productId: randomUUID(), quantity: 0 }]],
      ['a malformed product id', [{ productId: 'x', quantity: 1 }]],
      ['a line that is an empty array', [[]]],
      ['a line that is an array of a line', [[{ productId: randomUUID(), quantity: 1 }]]],
      ['a line that is null', [null]],
      ['a line that is a string', ['line']],
    ])('refuses %s with 400', async (_, items) => {
      const body = { customerId, items };
      expectProblem(await api.request('POST', '/api/v1/orders', body), 400);
    });

    it('gives exactly 5 of 20 concurrent orders for the last 5 units a 201, the rest 409', async () => {
      const product = await createProduct(api, { name: 'Last units', stock: 5 });
      const replies = await Promise.all(
        Array.from({ length: 20 }, () =>
          placeOrder(api, customerId, [{ productId: product.id, quantity: 1 }]),
        ),
      );
      const statuses = replies.map((reply) => reply.status);
      expect(statuses.filter((status) => status === 201)).toHaveLength(5);
      expect(statuses.filter((status) => status === 409)).toHaveLength(15);
      for (const refused of replies.filter((reply) => reply.status === 409)) {
        expect(expectProblem(refused, 409).detail).toContain(product.id);
      }
      expect(await stockOf(api, product.id)).toBe(0);
    });

    it('keeps stock and totals consistent under 50 concurrent orders across 3 products', async () => {
      const products = await Promise.all([
        createProduct(api, { priceCents: 100, stock: 30 }),
        createProduct(api, { priceCents: 250, stock: 20 }),
        createProduct(api, { priceCents: 999, stock: 10 }),
      ]);
      const buyers = await Promise.all([createCustomer(api), createCustomer(api)]);
      const replies = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          placeOrder(api, buyers[i % 2], [
            { productId: products[i % 3].id, quantity: 1 + (i % 2) },
            { productId: products[(i + 1) % 3].id, quantity: 1 },
          ]),
        ),
      );
      expect(replies.every((reply) => [201, 409].includes(reply.status))).toBe(true);
      const placed = replies.filter((reply) => reply.status === 201).map((reply) => reply.body);
      expect(placed.length).toBeGreaterThan(0);
      for (const [index, product] of products.entries()) {
        const sold = placed
          .flatMap((order) => order.items)
          .filter((item) => item.productId === product.id)
          .reduce((sum, item) => sum + item.quantity, 0);
        const initial = [30, 20, 10][index];
        const left = await stockOf(api, product.id);
        expect(left).toBeGreaterThanOrEqual(0);
        expect(left).toBe(initial - sold);
      }
      for (const order of placed) {
        const fetched = await api.request<OrderBody>('GET', `/api/v1/orders/${order.id}`);
        expect(fetched.body.totalCents).toBe(
          fetched.body.items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0),
        );
      }
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a replay with the same body with the same order and creates nothing', async () => {
      const product = await createProduct(api, { stock: 10 });
      const key = randomUUID();
      const items = [{ productId: product.id, quantity: 2 }];
      const first = await placeOrder(api, customerId, items, { 'idempotency-key': key });
      const again = await placeOrder(api, customerId, items, { 'idempotency-key': key });
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body.id).toBe(first.body.id);
      expect(again.headers.get('location')).toBe(first.headers.get('location'));
      expect(await stockOf(api, product.id)).toBe(8);
    });

    it('refuses the same key with a different body with 422', async () => {
      const product = await createProduct(api, { stock: 10 });
      const key = randomUUID();
      await placeOrder(api, customerId, [{ productId: product.id, quantity: 1 }], {
        'idempotency-key': key,
      });
      expectProblem(
        await placeOrder(api, customerId, [{ productId: product.id, quantity: 3 }], {
          'idempotency-key': key,
        }),
        422,
      );
      expect(await stockOf(api, product.id)).toBe(9);
    });

    it('lets one of concurrent duplicates run; the others wait for it and answer the same order', async () => {
      const product = await createProduct(api, { stock: 100 });
      const key = randomUUID();
      const replies = await Promise.all(
        Array.from({ length: 10 }, () =>
          placeOrder(api, customerId, [{ productId: product.id, quantity: 1 }], {
            'idempotency-key': key,
          }),
        ),
      );
      const created = replies.filter((reply) => reply.status === 201);
      expect(new Set(created.map((reply) => reply.body.id)).size).toBe(1);
      // A duplicate waits up to 5 s for the first; only a machine far slower than that sees 409.
      for (const other of replies.filter((reply) => reply.status !== 201)) {
        expectProblem(other, 409);
      }
      expect(created.length).toBeGreaterThan(1);
      expect(await stockOf(api, product.id)).toBe(99);
    });

    it('makes a duplicate wait for the request holding its key, and answers 409 after 5 s', async () => {
      const product = await createProduct(api, { stock: 10 });
      const key = randomUUID();
      const items = [{ productId: product.id, quantity: 1 }];
      const send = () => placeOrder(api, customerId, items, { 'idempotency-key': key });
      // The first request claims its key, then waits here for the product's row lock.
      const lock = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await lock.connect();
      try {
        await lock.query('begin');
        await lock.query('select 1 from products where id = $1 for update', [product.id]);
        const first = send();
        await waitForLockWaiters('update "products"', 1);
        expect(expectProblem(await send(), 409).detail).toMatch(/still being processed/);
        const waiting = send();
        await waitForLockWaiters('insert into "idempotency_keys"', 1);
        await lock.query('rollback');
        const [placed, replayed] = await Promise.all([first, waiting]);
        expect(placed.status).toBe(201);
        expect(replayed.status).toBe(201);
        expect(replayed.body.id).toBe(placed.body.id);
        expect(replayed.headers.get('idempotent-replayed')).toBe('true');
      } finally {
        await lock.end();
      }
      expect(await stockOf(api, product.id)).toBe(9);
    }, 20_000);

    it('scopes keys per account: the same key from two accounts is two requests', async () => {
      const product = await createProduct(api, { stock: 10 });
      const [alice, bob] = [await registerCustomer(api), await registerCustomer(api)];
      const key = randomUUID();
      const orderAs = (account: Account, quantity: number) =>
        placeOrder(api, account.customerId!, [{ productId: product.id, quantity }], {
          ...account.headers,
          'idempotency-key': key,
        });
      const alicesOrder = await orderAs(alice, 1);
      // Bob's first use of the key is answered as any fresh key: nothing tells him Alice has it.
      const bobsOrder = await orderAs(bob, 2);
      expect([alicesOrder.status, bobsOrder.status]).toEqual([201, 201]);
      expect(bobsOrder.headers.get('idempotent-replayed')).toBeNull();
      expect(bobsOrder.body).toMatchObject({ customerId: bob.customerId });
      expect(bobsOrder.body.id).not.toBe(alicesOrder.body.id);

      expect((await orderAs(alice, 1)).body.id).toBe(alicesOrder.body.id);
      expect((await orderAs(bob, 2)).body.id).toBe(bobsOrder.body.id);
      expectProblem(await orderAs(bob, 3), 422);
      expect(await stockOf(api, product.id)).toBe(7);
    });

    it('frees the key after a refused request so a retry can succeed', async () => {
      const product = await createProduct(api, { stock: 1 });
      const key = randomUUID();
      const items = [{ productId: product.id, quantity: 2 }];
      expectProblem(await placeOrder(api, customerId, items, { 'idempotency-key': key }), 409);
      await api.request('PATCH', `/api/v1/products/${product.id}`, { stock: 5 });
      expect((await placeOrder(api, customerId, items, { 'idempotency-key': key })).status).toBe(
        201,
      );
    });
  });

  describe('POST /api/v1/orders/:id/cancel', () => {
    it('cancels a pending order and restocks it; a second cancel is 409', async () => {
      const product = await createProduct(api, { stock: 4 });
      const order = await placeOrder(api, customerId, [{ productId: product.id, quantity: 3 }]);
      expect(await stockOf(api, product.id)).toBe(1);
      const cancelled = await api.request<OrderBody>(
        'POST',
        `/api/v1/orders/${order.body.id}/cancel`,
      );
      expect(cancelled.status).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');
      expect(await stockOf(api, product.id)).toBe(4);
      expectProblem(await api.request('POST', `/api/v1/orders/${order.body.id}/cancel`), 409);
      expect(await stockOf(api, product.id)).toBe(4);
    });

    it('restocks exactly once when the same order is cancelled concurrently', async () => {
      const product = await createProduct(api, { stock: 2 });
      const order = await placeOrder(api, customerId, [{ productId: product.id, quantity: 2 }]);
      const replies = await Promise.all(
        Array.from({ length: 5 }, () =>
          api.request('POST', `/api/v1/orders/${order.body.id}/cancel`),
        ),
      );
      expect(replies.map((reply) => reply.status).sort()).toEqual([200, 409, 409, 409, 409]);
      expect(await stockOf(api, product.id)).toBe(2);
    });

    it('answers 404 to an unknown order', async () => {
      expectProblem(await api.request('POST', `/api/v1/orders/${randomUUID()}/cancel`), 404);
    });
  });

  describe('listing orders', () => {
    it('pages a customer’s orders and filters all orders by customer and status', async () => {
      const buyer = await createCustomer(api);
      const product = await createProduct(api, { stock: 100 });
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await placeOrder(api, buyer, [{ productId: product.id, quantity: 1 }])).body.id);
      }
      await api.request('POST', `/api/v1/orders/${ids[1]}/cancel`);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const reply: { status: number; body: OrderPage } = await api.request<OrderPage>(
          'GET',
          `/api/v1/customers/${buyer}/orders?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(reply.status).toBe(200);
        seen.push(...reply.body.items.map((order) => order.id));
        cursor = reply.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(ids);

      const cancelled = await api.request<OrderPage>(
        'GET',
        `/api/v1/orders?customerId=${buyer}&status=cancelled`,
      );
      expect(cancelled.body.items.map((order) => order.id)).toEqual([ids[1]]);
      const pending = await api.request<OrderPage>(
        'GET',
        `/api/v1/orders?customerId=${buyer}&status=pending&limit=100`,
      );
      expect(pending.body.items).toHaveLength(4);
    });

    it('answers 404 for the orders of an unknown customer and 400 to bad filters', async () => {
      expectProblem(await api.request('GET', `/api/v1/customers/${randomUUID()}/orders`), 404);
      expectProblem(await api.request('GET', '/api/v1/orders?status=shipped'), 400);
      expectProblem(await api.request('GET', '/api/v1/orders?customerId=nope'), 400);
    });
  });
});

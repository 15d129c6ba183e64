import { randomUUID } from 'node:crypto';
import { type Account, loginAsAdmin, registerCustomer } from './support/auth.js';
import { type OrderBody, type ProductBody, uniqueSku } from './support/fixtures.js';
import { expectProblem } from './support/problem.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface OrderPage {
  items: OrderBody[];
  nextCursor: string | null;
}

interface ProductPage {
  items: ProductBody[];
  nextCursor: string | null;
}

describe('who may read and write the catalogue and orders', () => {
  let api: TestApp;
  let admin: Account;
  let alice: Account;
  let bob: Account;
  let product: ProductBody;

  const as =
    (account: Account | undefined) =>
    <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
      api.request<T>(method, path, body, account?.headers ?? {});
  const order = (account: Account, customerId: string) =>
    as(account)<OrderBody>('POST', '/api/v1/orders', {
      customerId,
      items: [{ productId: product.id, quantity: 1 }],
    });

  beforeAll(async () => {
    api = await startTestApp();
    admin = await loginAsAdmin(api);
    [alice, bob] = await Promise.all([
      registerCustomer(api, 'Alice'),
      registerCustomer(api, 'Bob'),
    ]);
    const created = await as(admin)<ProductBody>('POST', '/api/v1/products', {
      sku: uniqueSku(),
      name: 'Shared widget',
      priceCents: 500,
      currency: 'EUR',
      stock: 100,
    });
    product = created.body;
  });
  afterAll(() => api.close());

  it('lets anyone read the catalogue, without a token', async () => {
    expect((await as(undefined)('GET', '/api/v1/products')).status).toBe(200);
    expect((await as(undefined)('GET', `/api/v1/products/${product.id}`)).status).toBe(200);
  });

  describe('inactive (draft) products', () => {
    let draft: ProductBody;
    beforeAll(async () => {
      draft = (
        await as(admin)<ProductBody>('POST', '/api/v1/products', {
          sku: uniqueSku(),
          name: `Unreleased gadget ${randomUUID()}`,
          priceCents: 900,
          currency: 'EUR',
          stock: 5,
          active: false,
        })
      ).body;
    });
    const listed = async (account: Account | undefined, query: string): Promise<string[]> => {
      const reply = await as(account)<ProductPage>('GET', `/api/v1/products${query}`);
      expect(reply.status).toBe(200);
      return reply.body.items.map((item) => item.id);
    };

    it.each([
      ['anonymous callers', () => undefined],
      ['customers', () => alice],
    ])('are hidden from %s: ?active=false, a search, a read by id', async (_, who) => {
      expect(await listed(who(), '?active=false&limit=100')).toEqual([]);
      expect(await listed(who(), `?q=${encodeURIComponent(draft.name)}`)).toEqual([]);
      expectProblem(await as(who())('GET', `/api/v1/products/${draft.id}`), 404);
    });

    it('are listed, searched and read by admins', async () => {
      expect(await listed(admin, `?active=false&q=${encodeURIComponent(draft.name)}`)).toEqual([
        draft.id,
      ]);
      expect(await listed(admin, `?q=${encodeURIComponent(draft.name)}`)).toEqual([draft.id]);
      expect((await as(admin)('GET', `/api/v1/products/${draft.id}`)).status).toBe(200);
    });

    it('refuses an invalid token on the catalogue with 401 rather than serving it as anonymous', async () => {
      const forged = { ...alice, headers: { authorization: 'Bearer not-a-token' } };
      expectProblem(await as(forged)('GET', '/api/v1/products'), 401);
      expectProblem(await as(forged)('GET', `/api/v1/products/${product.id}`), 401);
    });
  });

  it('refuses product writes to customers (403) and to anonymous callers (401)', async () => {
    const body = { sku: uniqueSku(), name: 'Nope', priceCents: 1, currency: 'EUR', stock: 1 };
    expectProblem(await as(alice)('POST', '/api/v1/products', body), 403);
    expectProblem(
      await as(alice)('PATCH', `/api/v1/products/${product.id}`, { name: 'Mine' }),
      403,
    );
    expectProblem(await as(alice)('DELETE', `/api/v1/products/${product.id}`), 403);
    expectProblem(await as(undefined)('POST', '/api/v1/products', body), 401);
  });

  it('lets a customer order for their own record, and refuses another customer’s with 403', async () => {
    expect((await order(alice, alice.customerId!)).status).toBe(201);
    expectProblem(await order(alice, bob.customerId!), 403);
  });

  it('hides other customers’ orders: reading or cancelling one answers 404, as for a missing one', async () => {
    const bobs = await order(bob, bob.customerId!);
    expect(bobs.status).toBe(201);
    expectProblem(await as(alice)('GET', `/api/v1/orders/${bobs.body.id}`), 404);
    expectProblem(await as(alice)('POST', `/api/v1/orders/${bobs.body.id}/cancel`), 404);
    expectProblem(await as(alice)('GET', `/api/v1/customers/${bob.customerId}/orders`), 404);
    expectProblem(await as(alice)('GET', `/api/v1/orders/${randomUUID()}`), 404);
    expect((await as(bob)('GET', `/api/v1/orders/${bobs.body.id}`)).status).toBe(200);
    expect((await as(admin)('GET', `/api/v1/orders/${bobs.body.id}`)).status).toBe(200);
  });

  it('scopes order lists to the caller’s own orders, whatever customerId they ask for', async () => {
    await order(alice, alice.customerId!);
    const mine = await as(alice)<OrderPage>('GET', '/api/v1/orders?limit=100');
    expect(mine.status).toBe(200);
    expect(mine.body.items.length).toBeGreaterThan(0);
    expect(new Set(mine.body.items.map((o) => o.customerId))).toEqual(new Set([alice.customerId]));
    const snooping = await as(alice)<OrderPage>(
      'GET',
      `/api/v1/orders?customerId=${bob.customerId}`,
    );
    expect(snooping.body.items).toEqual([]);
    const own = await as(alice)<OrderPage>('GET', `/api/v1/customers/${alice.customerId}/orders`);
    expect(own.body.items.every((o) => o.customerId === alice.customerId)).toBe(true);
  });

  it('requires a token for orders', async () => {
    expectProblem(await as(undefined)('GET', '/api/v1/orders'), 401);
    expectProblem(await order({ ...alice, headers: {} }, alice.customerId!), 401);
  });
});

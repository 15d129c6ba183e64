import { randomUUID } from 'node:crypto';
import { createCustomer, createProduct, placeOrder, type ProductBody } from './support/fixtures.js';
import { expectProblem } from './support/problem.js';
import { actingAsAdmin } from './support/auth.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface CustomerBody {
  id: string;
  name: string;
  version: number;
}

/** ETag / If-None-Match / If-Match on customers (products have the same rules, see their suite). */
describe('customers over HTTP with ETags', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await actingAsAdmin(await startTestApp());
  });
  afterAll(() => api.close());

  const create = async (): Promise<CustomerBody> =>
    (
      await api.request<CustomerBody>('POST', '/api/v1/customers', {
        name: 'Tagged',
        email: `tagged-${randomUUID()}@example.com`,
      })
    ).body;

  it('tags every single-customer response with its version', async () => {
    const customer = await create();
    const path = `/api/v1/customers/${customer.id}`;
    expect((await api.request('GET', path)).headers.get('etag')).toBe('"1"');
    const patched = await api.request('PATCH', path, { name: 'Renamed' });
    expect(patched.headers.get('etag')).toBe('"2"');
  });

  it('answers 304 with no body to If-None-Match with the current tag, 200 otherwise', async () => {
    const customer = await create();
    const path = `/api/v1/customers/${customer.id}`;
    const cached = await api.request('GET', path, undefined, { 'if-none-match': '"1"' });
    expect(cached.status).toBe(304);
    expect(cached.text).toBe('');
    expect(cached.headers.get('etag')).toBe('"1"');
    const stale = await api.request('GET', path, undefined, { 'if-none-match': '"7"' });
    expect(stale.status).toBe(200);
  });

  it('refuses PATCH and DELETE with a stale If-Match with 412, changing nothing', async () => {
    const customer = await create();
    const path = `/api/v1/customers/${customer.id}`;
    await api.request('PATCH', path, { name: 'Second' });
    expectProblem(await api.request('PATCH', path, { name: 'Lost' }, { 'if-match': '"1"' }), 412);
    expectProblem(await api.request('DELETE', path, undefined, { 'if-match': '"1"' }), 412);
    expectProblem(await api.request('DELETE', path, undefined, { 'if-match': 'garbage' }), 412);
    const current = await api.request<CustomerBody>('GET', path);
    expect(current.body).toMatchObject({ name: 'Second', version: 2 });
    const ok = await api.request('PATCH', path, { name: 'Third' }, { 'if-match': '"2"' });
    expect(ok.status).toBe(200);
    expect((await api.request('DELETE', path, undefined, { 'if-match': '"3"' })).status).toBe(204);
  });

  it('lets exactly one of concurrent PATCHes of the same version win; no update is lost', async () => {
    const customer = await create();
    const path = `/api/v1/customers/${customer.id}`;
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api.request<CustomerBody>('PATCH', path, { name: `writer ${i}` }, { 'if-match': '"1"' }),
      ),
    );
    const winners = replies.filter((reply) => reply.status === 200);
    expect(winners).toHaveLength(1);
    for (const loser of replies.filter((reply) => reply.status !== 200)) expectProblem(loser, 412);
    const final = await api.request<CustomerBody>('GET', path);
    expect(final.body).toMatchObject({ name: winners[0].body.name, version: 2 });
  });

  // Issue 21 item 5: RFC 9110 §15.5.13 — 412 only for a precondition the client sent.
  it('applies every one of concurrent PATCHes without If-Match to the current version: 8 x 200, the last wins', async () => {
    const customer = await create();
    const path = `/api/v1/customers/${customer.id}`;
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api.request<CustomerBody>('PATCH', path, { name: `writer ${i}` }),
      ),
    );
    expect(replies.map((reply) => reply.status)).toEqual(Array(8).fill(200));
    const versions = replies.map((reply) => reply.body.version).sort((a, b) => a - b);
    expect(versions).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    const last = replies.find((reply) => reply.body.version === 9)!;
    const final = await api.request<CustomerBody>('GET', path);
    expect(final.body).toMatchObject({ name: last.body.name, version: 9 });
  });

  it('never fails a price PATCH without If-Match because orders took stock meanwhile', async () => {
    const product = await createProduct(api, { stock: 1000 });
    const customerId = await createCustomer(api);
    const path = `/api/v1/products/${product.id}`;
    const orders = Array.from({ length: 24 }, () =>
      placeOrder(api, customerId, [{ productId: product.id, quantity: 1 }]),
    );
    const patches = Array.from({ length: 6 }, (_, i) =>
      api.request<ProductBody>('PATCH', path, { priceCents: 2000 + i }),
    );
    const [placed, patched] = await Promise.all([Promise.all(orders), Promise.all(patches)]);
    expect(placed.map((reply) => reply.status)).toEqual(Array(24).fill(201));
    expect(patched.map((reply) => reply.status)).toEqual(Array(6).fill(200));
    const final = await api.request<ProductBody>('GET', path);
    expect(final.body.stock).toBe(1000 - 24);
    expect(final.body.version).toBe(1 + 24 + 6);
    const last = patched.reduce((a, b) => (a.body.version > b.body.version ? a : b));
    expect(final.body.priceCents).toBe(last.body.priceCents);
  });

  it('still refuses a PATCH with a stale If-Match with 412 when only stock moved', async () => {
    const product = await createProduct(api, { stock: 5 });
    const customerId = await createCustomer(api);
    expect(
      (await placeOrder(api, customerId, [{ productId: product.id, quantity: 1 }])).status,
    ).toBe(201);
    const path = `/api/v1/products/${product.id}`;
    expectProblem(await api.request('PATCH', path, { priceCents: 1 }, { 'if-match': '"1"' }), 412);
    expect(
      (await api.request('PATCH', path, { priceCents: 1 }, { 'if-match': '"2"' })).status,
    ).toBe(200);
  });
});

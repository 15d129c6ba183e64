import { type Account, loginAsAdmin, registerCustomer } from './support/auth.js';
import { type OrderBody, type ProductBody, uniqueSku } from './support/fixtures.js';
import { expectProblem } from './support/problem.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * A UUID is the same id in any letter case (RFC 9562 §4): the owner must get their own rows
 * whichever case their client sends, in the path, the query string and the body.
 */
describe('ids in any letter case', () => {
  let api: TestApp;
  let ada: Account;
  let product: ProductBody;
  let order: OrderBody;
  const upper = (id: string | null): string => id!.toUpperCase();
  const asAda = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
    api.request<T>(method, path, body, ada.headers);

  beforeAll(async () => {
    api = await startTestApp();
    const admin = await loginAsAdmin(api);
    ada = await registerCustomer(api, 'Ada');
    product = (
      await api.request<ProductBody>(
        'POST',
        '/api/v1/products',
        { sku: uniqueSku(), name: 'Case widget', priceCents: 700, currency: 'EUR', stock: 50 },
        admin.headers,
      )
    ).body;
    order = (
      await asAda<OrderBody>('POST', '/api/v1/orders', {
        customerId: ada.customerId,
        items: [{ productId: product.id, quantity: 1 }],
      })
    ).body;
  });
  afterAll(() => api.close());

  it('answers the owner’s own customer record by its upper-case id', async () => {
    const read = await asAda('GET', `/api/v1/customers/${upper(ada.customerId)}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: ada.customerId });
    const changed = await asAda('PATCH', `/api/v1/customers/${upper(ada.customerId)}`, {
      phone: '+1 555 0100',
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: ada.customerId, phone: '+1 555 0100' });
  });

  it('answers the owner’s orders by the upper-case customer id, in the path and the query', async () => {
    const byPath = await asAda<Page<OrderBody>>(
      'GET',
      `/api/v1/customers/${upper(ada.customerId)}/orders`,
    );
    expect(byPath.status).toBe(200);
    expect(byPath.body.items.map((item) => item.id)).toEqual([order.id]);

    const byQuery = await asAda<Page<OrderBody>>(
      'GET',
      `/api/v1/orders?customerId=${upper(ada.customerId)}`,
    );
    expect(byQuery.status).toBe(200);
    expect(byQuery.body.items.map((item) => item.id)).toEqual([order.id]);
  });

  it('answers the owner’s order by its upper-case id', async () => {
    const read = await asAda<OrderBody>('GET', `/api/v1/orders/${upper(order.id)}`);
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(order.id);
  });

  it('places an order whose body names the customer and product in upper case', async () => {
    const placed = await asAda<OrderBody>('POST', '/api/v1/orders', {
      customerId: upper(ada.customerId),
      items: [{ productId: upper(product.id), quantity: 1 }],
    });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({
      customerId: ada.customerId,
      items: [{ productId: product.id, quantity: 1 }],
    });
    const cancelled = await asAda<OrderBody>(
      'POST',
      `/api/v1/orders/${upper(placed.body.id)}/cancel`,
    );
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');
  });

  it('treats the same key with the same ids in another case as the same order', async () => {
    const key = { 'idempotency-key': `case-${product.id}` };
    const lower = { customerId: ada.customerId, items: [{ productId: product.id, quantity: 1 }] };
    const upperBody = {
      customerId: upper(ada.customerId),
      items: [{ productId: upper(product.id), quantity: 1 }],
    };
    const first = await api.request<OrderBody>('POST', '/api/v1/orders', lower, {
      ...ada.headers,
      ...key,
    });
    const again = await api.request<OrderBody>('POST', '/api/v1/orders', upperBody, {
      ...ada.headers,
      ...key,
    });
    expect(first.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
  });

  it('serves a product by its upper-case id, and still refuses a malformed one with 400', async () => {
    expect((await api.request('GET', `/api/v1/products/${upper(product.id)}`)).status).toBe(200);
    expectProblem(await api.request('GET', `/api/v1/products/${product.id}x`), 400);
  });
});

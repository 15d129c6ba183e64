import { actingAsAdmin } from './support/auth.js';
import { createCustomer, createProduct, uniqueSku } from './support/fixtures.js';
import { expectProblem } from './support/problem.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('null in a request body', () => {
  let api: TestApp;
  let asAdmin: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
    asAdmin = await actingAsAdmin(api);
  });
  afterAll(() => api.close());

  const fieldsOf = (reply: Awaited<ReturnType<TestApp['request']>>): Set<string> =>
    new Set(expectProblem(reply, 400).errors!.map((error) => error.field));

  it.each(['name', 'email'])('is a 400 for a customer’s %s on PATCH', async (field) => {
    const id = await createCustomer(asAdmin);
    const reply = await asAdmin.request('PATCH', `/api/v1/customers/${id}`, { [field]: null });
    expect(fieldsOf(reply)).toEqual(new Set([field]));
  });

  it.each(['sku', 'name', 'priceCents', 'currency', 'stock', 'active'])(
    'is a 400 for a product’s %s on PATCH',
    async (field) => {
      const product = await createProduct(asAdmin);
      const reply = await asAdmin.request('PATCH', `/api/v1/products/${product.id}`, {
        [field]: null,
      });
      expect(fieldsOf(reply)).toEqual(new Set([field]));
    },
  );

  it('names every non-nullable field at once', async () => {
    const product = await createProduct(asAdmin);
    const reply = await asAdmin.request('PATCH', `/api/v1/products/${product.id}`, {
      sku: null,
      name: null,
      priceCents: null,
      currency: null,
      stock: null,
      active: null,
      description: null,
    });
    expect(fieldsOf(reply)).toEqual(
      new Set(['sku', 'name', 'priceCents', 'currency', 'stock', 'active']),
    );
  });

  it('is a 400 for a non-nullable field on create too', async () => {
    const reply = await asAdmin.request('POST', '/api/v1/products', {
      sku: uniqueSku(),
      name: 'Widget',
      priceCents: 1,
      currency: 'EUR',
      stock: 1,
      active: null,
    });
    expect(fieldsOf(reply)).toEqual(new Set(['active']));
  });

  it('clears the nullable fields: a customer’s phone, a product’s description', async () => {
    const id = await createCustomer(asAdmin);
    await asAdmin.request('PATCH', `/api/v1/customers/${id}`, { phone: '+44 20 7946 0000' });
    const customer = await asAdmin.request('PATCH', `/api/v1/customers/${id}`, { phone: null });
    expect(customer.status).toBe(200);
    expect(customer.body.phone).toBeNull();

    const product = await createProduct(asAdmin, { description: 'Blue' });
    const cleared = await asAdmin.request('PATCH', `/api/v1/products/${product.id}`, {
      description: null,
    });
    expect(cleared.status).toBe(200);
    expect(cleared.body.description).toBeNull();
  });
});

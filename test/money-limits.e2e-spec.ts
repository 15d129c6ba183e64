import { actingAsAdmin } from './support/auth.js';
import {
  createCustomer,
  createProduct,
  type OrderBody,
  placeOrder,
  type ProductBody,
  uniqueSku,
} from './support/fixtures.js';
import { expectProblem } from './support/problem.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const MAX_PRICE_CENTS = 2_000_000_000;

describe('money beyond 32 bits', () => {
  let api: TestApp;
  let asAdmin: TestApp;
  let customerId: string;
  beforeAll(async () => {
    api = await startTestApp();
    asAdmin = await actingAsAdmin(api);
    customerId = await createCustomer(asAdmin);
  });
  afterAll(() => api.close());

  it('places an order whose total passes 2^31 and reads it back as a number', async () => {
    const product = await createProduct(asAdmin, { priceCents: MAX_PRICE_CENTS });
    const placed = await placeOrder(asAdmin, customerId, [{ productId: product.id, quantity: 2 }]);
    expect(placed.status).toBe(201);
    expect(placed.body.totalCents).toBe(4_000_000_000);
    const read = await asAdmin.request<OrderBody>('GET', `/api/v1/orders/${placed.body.id}`);
    expect(read.body.totalCents).toBe(4_000_000_000);
    expect(read.body.items[0].unitPriceCents).toBe(MAX_PRICE_CENTS);
    const listed = await asAdmin.request<{ items: OrderBody[] }>(
      'GET',
      `/api/v1/customers/${customerId}/orders`,
    );
    expect(listed.body.items.map((order) => order.totalCents)).toContain(4_000_000_000);
  });

  it('totals the largest order the limits allow exactly (100 lines of 10,000 at the top price)', async () => {
    const product = await createProduct(asAdmin, {
      priceCents: MAX_PRICE_CENTS,
      stock: 1_000_000,
    });
    const lines = Array.from({ length: 100 }, () => ({ productId: product.id, quantity: 10_000 }));
    const placed = await placeOrder(asAdmin, customerId, lines);
    expect(placed.status).toBe(201);
    expect(placed.body.totalCents).toBe(2_000_000_000_000_000);
    expect(Number.isSafeInteger(placed.body.totalCents)).toBe(true);
  });

  it('refuses a price, a quantity or a number of lines above the documented maxima with 400', async () => {
    const tooDear = await asAdmin.request('POST', '/api/v1/products', {
      sku: uniqueSku(),
      name: 'Too dear',
      priceCents: MAX_PRICE_CENTS + 1,
      currency: 'EUR',
      stock: 1,
    });
    expect(expectProblem(tooDear, 400).errors?.map((error) => error.field)).toEqual(['priceCents']);
    const product = await createProduct(asAdmin);
    expectProblem(
      await placeOrder(asAdmin, customerId, [{ productId: product.id, quantity: 10_001 }]),
      400,
    );
    const lines = Array.from({ length: 101 }, () => ({ productId: product.id, quantity: 1 }));
    expectProblem(await placeOrder(asAdmin, customerId, lines), 400);
  });

  it('filters and pages prices on the whole safe-integer range, and refuses beyond it', async () => {
    await createProduct(asAdmin, { priceCents: MAX_PRICE_CENTS });
    const widest = await api.request<{ items: ProductBody[] }>(
      'GET',
      `/api/v1/products?sort=-priceCents&maxPriceCents=${Number.MAX_SAFE_INTEGER}`,
    );
    expect(widest.status).toBe(200);
    expect(widest.body.items[0].priceCents).toBe(MAX_PRICE_CENTS);
    expectProblem(
      await api.request('GET', `/api/v1/products?minPriceCents=${Number.MAX_SAFE_INTEGER + 1}`),
      400,
    );
    expectProblem(await api.request('GET', '/api/v1/products?maxPriceCents=1e21'), 400);
  });
});

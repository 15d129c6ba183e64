import { actingAsAdmin, uniqueEmail } from './support/auth.js';
import { createCustomer, createProduct, uniqueSku } from './support/fixtures.js';
import { expectProblem } from './support/problem.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** 200 characters to JavaScript's validator, 400 to PostgreSQL: each `a` carries U+FE0F. */
const SELECTED_200 = 'a\ufe0f'.repeat(200);
/** 200 characters to PostgreSQL, 400 UTF-16 units to JavaScript. */
const EMOJI_200 = '😀'.repeat(200);

describe('text lengths are counted as PostgreSQL counts them (code points)', () => {
  let api: TestApp;
  let asAdmin: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
    asAdmin = await actingAsAdmin(api);
  });
  afterAll(() => api.close());

  const expectTooLong = (reply: Awaited<ReturnType<TestApp['request']>>, field: string) => {
    const problem = expectProblem(reply, 400);
    expect(problem.errors).toContainEqual({ field, message: expect.stringMatching(/200/) });
  };

  it('refuses a register name longer than its column, with 400 not 500', async () => {
    const register = (name: string) =>
      api.request('POST', '/api/v1/auth/register', {
        email: uniqueEmail(),
        password: 'a long passphrase',
        name,
      });
    expectTooLong(await register(SELECTED_200), 'name');
    expect((await register(EMOJI_200)).status).toBe(201);
    expectTooLong(await register(`${EMOJI_200}😀`), 'name');
  });

  it('applies the same count to customers and products, on create and on update', async () => {
    const customerId = await createCustomer(asAdmin);
    const product = await createProduct(asAdmin);
    expectTooLong(
      await asAdmin.request('POST', '/api/v1/customers', {
        name: SELECTED_200,
        email: uniqueEmail(),
      }),
      'name',
    );
    expectTooLong(
      await asAdmin.request('PATCH', `/api/v1/customers/${customerId}`, { name: SELECTED_200 }),
      'name',
    );
    expectTooLong(
      await asAdmin.request('POST', '/api/v1/products', {
        sku: uniqueSku(),
        name: SELECTED_200,
        priceCents: 1,
        currency: 'EUR',
        stock: 1,
      }),
      'name',
    );
    expectTooLong(
      await asAdmin.request('PATCH', `/api/v1/products/${product.id}`, { name: SELECTED_200 }),
      'name',
    );
    const renamed = await asAdmin.request('PATCH', `/api/v1/products/${product.id}`, {
      name: EMOJI_200,
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe(EMOJI_200);
  });
});

import { type Account, loginAsAdmin, registerCustomer, uniqueEmail } from './support/auth.js';
import { expectProblem } from './support/problem.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Text PostgreSQL cannot store: NUL, and UTF-16 halves without their other half. */
const UNSTORABLE = [
  ['a NUL byte', 'a\u0000b'],
  ['a lone high surrogate', 'a\ud800b'],
  ['a lone low surrogate', 'a\udc00b'],
];

describe('text PostgreSQL cannot store', () => {
  let api: TestApp;
  let admin: Account;
  let customer: Account;
  beforeAll(async () => {
    api = await startTestApp();
    admin = await loginAsAdmin(api);
    customer = await registerCustomer(api);
  });
  afterAll(() => api.close());

  const expectFieldRefused = (reply: Awaited<ReturnType<TestApp['request']>>, field: string) => {
    const problem = expectProblem(reply, 400);
    expect(problem.errors).toEqual([{ field, message: expect.stringMatching(/NUL|surrogate/) }]);
  };

  // A URL is bytes: of the three, only NUL (%00) can be written in one; an undecodable escape
  // such as %ED%A0%80 reaches the app as those literal characters.
  it('refuses NUL in a query parameter, naming it', async () => {
    expectFieldRefused(await api.request('GET', '/api/v1/products?q=a%00b'), 'q');
    expectFieldRefused(
      await api.request('GET', '/api/v1/orders?status=%00', undefined, customer.headers),
      'status',
    );
  });

  describe.each(UNSTORABLE)('with %s', (_, text) => {
    it('is refused in a public body, naming the field', async () => {
      expectFieldRefused(
        await api.request('POST', '/api/v1/auth/login', { email: text, password: 'x' }),
        'email',
      );
      expectFieldRefused(
        await api.request('POST', '/api/v1/auth/register', {
          email: uniqueEmail(),
          password: 'a long passphrase',
          name: text,
        }),
        'name',
      );
    });

    it('is refused in a PATCH body and in nested fields', async () => {
      expectFieldRefused(
        await api.request(
          'PATCH',
          `/api/v1/customers/${customer.customerId}`,
          { name: text },
          customer.headers,
        ),
        'name',
      );
      expectFieldRefused(
        await api.request(
          'POST',
          '/api/v1/orders',
          { customerId: customer.customerId, items: [{ productId: text, quantity: 1 }] },
          customer.headers,
        ),
        'items.0.productId',
      );
    });

    it('is refused in an object key too', async () => {
      expectFieldRefused(
        await api.request(
          'POST',
          '/api/v1/products',
          { sku: 'S', name: 'n', [text]: 1, priceCents: 1, currency: 'EUR', stock: 1 },
          admin.headers,
        ),
        JSON.stringify(text).slice(1, -1),
      );
    });
  });

  it('leaves the database usable: the next request is answered normally', async () => {
    await api.request('GET', '/api/v1/products?q=a%00b');
    const reply = await api.request('GET', '/api/v1/products?q=a');
    expect(reply.status).toBe(200);
  });

  it('keeps well-formed text outside the Basic Multilingual Plane', async () => {
    const reply = await api.request(
      'PATCH',
      `/api/v1/customers/${customer.customerId}`,
      { name: 'Ada 😀 Lovelace' },
      customer.headers,
    );
    expect(reply.status).toBe(200);
    expect(reply.body.name).toBe('Ada 😀 Lovelace');
  });
});

import { type Account, loginAsAdmin, registerCustomer } from './support/auth.js';
import { expectProblem } from './support/problem.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const cursor = (values: unknown[]): string =>
  Buffer.from(JSON.stringify(values)).toString('base64url');
const someId = '0190b3a0-0000-7000-8000-000000000000';

/** Dates JavaScript accepts but PostgreSQL's timestamptz cannot hold or parse. */
const FORGED_DATES = [
  '+200000-01-01T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '0000-01-01T00:00:00.000Z',
  '2026-01-01T00:00:00+01:00',
  '2026-01-01',
  '2026-02-30T00:00:00.000Z',
];

describe('tampered cursors', () => {
  let api: TestApp;
  let admin: Account;
  let customer: Account;
  beforeAll(async () => {
    api = await startTestApp();
    admin = await loginAsAdmin(api);
    customer = await registerCustomer(api);
    await registerCustomer(api);
  });
  afterAll(() => api.close());

  const lists = (): [string, Record<string, string>][] => [
    ['/api/v1/products', {}],
    ['/api/v1/customers', admin.headers],
    ['/api/v1/orders', admin.headers],
    [`/api/v1/customers/${customer.customerId}/orders`, customer.headers],
  ];

  it.each(FORGED_DATES)('answers 400 for a date of %s on every list', async (date) => {
    for (const [path, headers] of lists()) {
      const reply = await api.request(
        'GET',
        `${path}?cursor=${cursor([date, someId])}`,
        undefined,
        headers,
      );
      expect(expectProblem(reply, 400).detail).toBe('The cursor is not one this list issued.');
    }
  });

  it.each([
    ['a price beyond any column', 1e300],
    ['a price that is not whole', 1.5],
    ['a price beyond safe integers', 2 ** 60],
  ])('answers 400 for %s on the price sort', async (_, price) => {
    const reply = await api.request(
      'GET',
      `/api/v1/products?sort=priceCents&cursor=${cursor([price, someId])}`,
    );
    expectProblem(reply, 400);
  });

  it.each([
    ['NUL', 'a\u0000'],
    ['a lone surrogate', '\ud800'],
  ])('answers 400 for a name with %s on the name sort', async (_, name) => {
    const reply = await api.request(
      'GET',
      `/api/v1/products?sort=-name&cursor=${cursor([name, someId])}`,
    );
    expectProblem(reply, 400);
  });

  it('still follows a cursor the list issued', async () => {
    const first = await api.request<{ nextCursor: string | null }>(
      'GET',
      '/api/v1/customers?limit=1',
      undefined,
      admin.headers,
    );
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const next = await api.request(
      'GET',
      `/api/v1/customers?limit=1&cursor=${first.body.nextCursor}`,
      undefined,
      admin.headers,
    );
    expect(next.status).toBe(200);
  });
});

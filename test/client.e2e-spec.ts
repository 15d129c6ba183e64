import { randomUUID } from 'node:crypto';
import { createKeelClient, KeelProblem, ok, type KeelClient } from '../client/src/index.js';
import { uniqueEmail } from './support/auth.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The order flow as a client team writes it: only the generated client (client/), typed from the
 * committed OpenAPI document, talks to Keel (issue 27, item 4).
 */
describe('the typed client (@keel/client)', () => {
  let app: TestApp;
  let productId: string;
  const sku = `CLIENT-${randomUUID().slice(0, 8)}`;

  const clientWith = (token: () => string | undefined): KeelClient =>
    createKeelClient({ baseUrl: app.baseUrl, accessToken: token });

  beforeAll(async () => {
    app = await startTestApp();
    const session = await ok(
      createKeelClient({ baseUrl: app.baseUrl }).POST('/api/v1/auth/login', {
        body: { email: process.env.ADMIN_EMAIL!, password: process.env.ADMIN_PASSWORD! },
      }),
    );
    const admin = clientWith(() => session.accessToken);
    const product = await ok(
      admin.POST('/api/v1/products', {
        body: { sku, name: `Client flow ${sku}`, priceCents: 1250, currency: 'EUR', stock: 5 },
      }),
    );
    productId = product.id;
  });
  afterAll(() => app.close());

  it('registers, logs in, refreshes, lists products, orders once per key, reads and cancels', async () => {
    const session: { accessToken?: string } = {};
    const keel = clientWith(() => session.accessToken);
    const email = uniqueEmail();
    const password = `pw-${randomUUID()}`;

    const user = await ok(
      keel.POST('/api/v1/auth/register', { body: { email, password, name: 'Client Team' } }),
    );
    expect(user.email).toBe(email);
    const login = await ok(keel.POST('/api/v1/auth/login', { body: { email, password } }));
    const refreshed = await ok(
      keel.POST('/api/v1/auth/refresh', { body: { refreshToken: login.refreshToken } }),
    );
    expect(refreshed.refreshToken).not.toBe(login.refreshToken);
    session.accessToken = refreshed.accessToken;
    const me = await ok(keel.GET('/api/v1/users/me'));
    expect(me.id).toBe(user.id);

    const page = await ok(keel.GET('/api/v1/products', { params: { query: { q: sku } } }));
    expect(page.items.map((product) => product.sku)).toEqual([sku]);

    const idempotencyKey = randomUUID();
    const place = () =>
      keel.POST('/api/v1/orders', {
        params: { header: { 'Idempotency-Key': idempotencyKey } },
        body: { customerId: me.customerId!, items: [{ productId, quantity: 2 }] },
      });
    const placed = await place();
    expect(placed.response.status).toBe(201);
    const retried = await place();
    expect(retried.data?.id).toBe(placed.data?.id);
    const order = placed.data!;
    expect(order).toMatchObject({ status: 'pending', totalCents: 2500, currency: 'EUR' });

    const read = await ok(keel.GET('/api/v1/orders/{id}', { params: { path: { id: order.id } } }));
    expect(read.items).toEqual([expect.objectContaining({ productId, quantity: 2 })]);
    const cancelled = await ok(
      keel.POST('/api/v1/orders/{id}/cancel', { params: { path: { id: order.id } } }),
    );
    expect(cancelled.status).toBe('cancelled');

    const unknownProduct = keel.POST('/api/v1/orders', {
      body: { customerId: me.customerId!, items: [{ productId: randomUUID(), quantity: 1 }] },
    });
    await expect(unknownProduct).rejects.toBeInstanceOf(KeelProblem);
    await expect(unknownProduct).rejects.toMatchObject({ status: 422 });
  });

  it('throws a 404 problem as a typed KeelProblem, with its request id', async () => {
    const anyone = createKeelClient({ baseUrl: app.baseUrl });
    const missing = randomUUID();

    const thrown = await anyone
      .GET('/api/v1/products/{id}', { params: { path: { id: missing } } })
      .then(
        () => undefined,
        (error: unknown) => error,
      );

    expect(thrown).toBeInstanceOf(KeelProblem);
    const { problem, response } = thrown as KeelProblem;
    expect(problem).toMatchObject({ status: 404, instance: `/api/v1/products/${missing}` });
    expect(problem.requestId).toBe(response.headers.get('x-request-id'));
  });

  it('throws a validation problem with its field errors as a typed KeelProblem', async () => {
    const thrown = await createKeelClient({ baseUrl: app.baseUrl })
      .POST('/api/v1/auth/register', { body: { email: 'not-an-email', password: 'x', name: '' } })
      .then(
        () => undefined,
        (error: unknown) => error,
      );

    expect(thrown).toBeInstanceOf(KeelProblem);
    const { problem } = thrown as KeelProblem;
    expect(problem.status).toBe(400);
    expect(problem.errors?.map((error) => error.field)).toEqual(
      expect.arrayContaining(['email', 'name']),
    );
  });
});

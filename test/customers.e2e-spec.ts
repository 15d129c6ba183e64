import { randomUUID } from 'node:crypto';
import { type Account, loginAsAdmin, uniqueEmail } from './support/auth.js';
import { createProduct } from './support/fixtures.js';
import { expectProblem } from './support/problem.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface CustomerBody {
  id: string;
  name: string;
  email: string;
  phone: string | null;
  createdAt: string;
  updatedAt: string;
  version: number;
}
interface PageBody {
  items: CustomerBody[];
  nextCursor: string | null;
}

describe('customers API', () => {
  let api: TestApp;
  let admin: Account;
  beforeAll(async () => {
    api = await startTestApp();
    admin = await loginAsAdmin(api);
  });
  afterAll(() => api.close());

  /** Every request of this suite is an admin's: ownership has its own suite (auth.e2e-spec.ts). */
  const asAdmin = <T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) => api.request<T>(method, path, body, { ...admin.headers, ...headers });

  const create = (body: Record<string, unknown>) =>
    asAdmin<CustomerBody>('POST', '/api/v1/customers', body);

  describe('POST /api/v1/customers', () => {
    it('creates a customer with 201, its body and a Location header', async () => {
      const email = uniqueEmail();
      const reply = await create({ name: 'Ada Lovelace', email, phone: '+44 20 7946 0000' });
      expect(reply.status).toBe(201);
      expect(reply.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Ada Lovelace',
        email,
        phone: '+44 20 7946 0000',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        version: 1,
      });
      expect(reply.headers.get('location')).toBe(`/api/v1/customers/${reply.body.id}`);
    });

    it('drops unknown keys instead of storing them (no id, version or extra field from the client)', async () => {
      const forcedId = randomUUID();
      const reply = await create({
        name: 'Mallory',
        email: uniqueEmail(),
        id: forcedId,
        version: 42,
        isAdmin: true,
      });
      expect(reply.status).toBe(201);
      expect(reply.body.id).not.toBe(forcedId);
      expect(reply.body.version).toBe(1);
      expect(reply.body).not.toHaveProperty('isAdmin');
      const fetched = await asAdmin<CustomerBody>('GET', `/api/v1/customers/${reply.body.id}`);
      expect(fetched.body).not.toHaveProperty('isAdmin');
    });

    it('refuses an invalid body with 400 and one error per field', async () => {
      const problem = expectProblem(
        await create({ name: '', email: 'not-an-email', phone: 'call me' }),
        400,
      );
      const fields = problem.errors!.map((error) => error.field);
      expect(new Set(fields)).toEqual(new Set(['name', 'email', 'phone']));
    });

    it('refuses a missing body with 400', async () => {
      const reply = await asAdmin('POST', '/api/v1/customers', undefined, {
        'content-type': 'application/json',
      });
      expectProblem(reply, 400);
    });

    it('refuses a duplicate email in any letter case with 409', async () => {
      const email = uniqueEmail();
      expect((await create({ name: 'First', email })).status).toBe(201);
      expectProblem(await create({ name: 'Second', email: email.toUpperCase() }), 409);
    });

    it('lets exactly one of two racing creations with the same email win', async () => {
      const email = uniqueEmail();
      const replies = await Promise.all([
        create({ name: 'A', email }),
        create({ name: 'B', email: email.toUpperCase() }),
      ]);
      expect(replies.map((reply) => reply.status).sort()).toEqual([201, 409]);
    });
  });

  describe('GET /api/v1/customers/:id', () => {
    it('returns the customer', async () => {
      const created = await create({ name: 'Grace Hopper', email: uniqueEmail() });
      const reply = await asAdmin<CustomerBody>('GET', `/api/v1/customers/${created.body.id}`);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual(created.body);
    });

    it('answers 400 to a malformed id', async () => {
      expectProblem(await asAdmin('GET', '/api/v1/customers/not-a-uuid'), 400);
    });

    it('answers 404 to an unknown id', async () => {
      const reply = await asAdmin('GET', `/api/v1/customers/${randomUUID()}`);
      expectProblem(reply, 404);
    });
  });

  describe('PATCH /api/v1/customers/:id', () => {
    it('updates only the given fields', async () => {
      const created = await create({ name: 'Alan', email: uniqueEmail(), phone: '+1 555 0100' });
      const reply = await asAdmin<CustomerBody>('PATCH', `/api/v1/customers/${created.body.id}`, {
        name: 'Alan Turing',
      });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        name: 'Alan Turing',
        email: created.body.email,
        phone: '+1 555 0100',
        version: 2,
      });
      expect(new Date(reply.body.updatedAt).getTime()).toBeGreaterThanOrEqual(
        new Date(created.body.updatedAt).getTime(),
      );
    });

    it('clears the phone with null', async () => {
      const created = await create({ name: 'Phone', email: uniqueEmail(), phone: '+1 555 0101' });
      const reply = await asAdmin<CustomerBody>('PATCH', `/api/v1/customers/${created.body.id}`, {
        phone: null,
      });
      expect(reply.body.phone).toBeNull();
    });

    it('refuses an email that another customer has, in any case, with 409', async () => {
      const taken = uniqueEmail();
      await create({ name: 'Owner', email: taken });
      const other = await create({ name: 'Other', email: uniqueEmail() });
      const reply = await asAdmin('PATCH', `/api/v1/customers/${other.body.id}`, {
        email: taken.toUpperCase(),
      });
      expectProblem(reply, 409);
    });

    it('accepts a change of letter case of the customer’s own email', async () => {
      const email = uniqueEmail();
      const created = await create({ name: 'Case', email });
      const reply = await asAdmin<CustomerBody>('PATCH', `/api/v1/customers/${created.body.id}`, {
        email: email.toUpperCase(),
      });
      expect(reply.status).toBe(200);
      expect(reply.body.email).toBe(email.toUpperCase());
    });

    it('refuses invalid fields with 400, unknown ids with 404 and malformed ids with 400', async () => {
      const created = await create({ name: 'Valid', email: uniqueEmail() });
      expectProblem(
        await asAdmin('PATCH', `/api/v1/customers/${created.body.id}`, { email: 'nope' }),
        400,
      );
      expectProblem(
        await asAdmin('PATCH', `/api/v1/customers/${randomUUID()}`, { name: 'X' }),
        404,
      );
      expectProblem(await asAdmin('PATCH', '/api/v1/customers/123', { name: 'X' }), 400);
    });
  });

  describe('DELETE /api/v1/customers/:id', () => {
    it('deletes with 204, then the customer is gone (404)', async () => {
      const created = await create({ name: 'Temporary', email: uniqueEmail() });
      const reply = await asAdmin('DELETE', `/api/v1/customers/${created.body.id}`);
      expect(reply.status).toBe(204);
      expect(reply.text).toBe('');
      expectProblem(await asAdmin('GET', `/api/v1/customers/${created.body.id}`), 404);
      expectProblem(await asAdmin('DELETE', `/api/v1/customers/${created.body.id}`), 404);
    });

    it('frees the email for a new customer', async () => {
      const email = uniqueEmail();
      const created = await create({ name: 'Leaving', email });
      await asAdmin('DELETE', `/api/v1/customers/${created.body.id}`);
      expect((await create({ name: 'Arriving', email })).status).toBe(201);
    });

    it('refuses a customer who has orders with 409, and keeps the customer and the orders', async () => {
      const created = await create({ name: 'Buyer', email: uniqueEmail() });
      const product = await createProduct({ ...api, request: asAdmin });
      const order = await asAdmin<{ id: string }>('POST', '/api/v1/orders', {
        customerId: created.body.id,
        items: [{ productId: product.id, quantity: 1 }],
      });
      expect(order.status).toBe(201);
      const problem = expectProblem(
        await asAdmin('DELETE', `/api/v1/customers/${created.body.id}`),
        409,
      );
      expect(problem.detail).toBe(`Customer ${created.body.id} has orders and cannot be deleted.`);
      expect((await asAdmin('GET', `/api/v1/customers/${created.body.id}`)).status).toBe(200);
      expect((await asAdmin('GET', `/api/v1/orders/${order.body.id}`)).status).toBe(200);
    });
  });

  describe('GET /api/v1/customers', () => {
    const page = (query: string) => asAdmin<PageBody>('GET', `/api/v1/customers${query}`);

    it('pages with 20 items by default and a cursor to the next page', async () => {
      await Promise.all(
        Array.from({ length: 21 }, (_, i) => create({ name: `Bulk ${i}`, email: uniqueEmail() })),
      );
      const reply = await page('');
      expect(reply.status).toBe(200);
      expect(reply.body.items).toHaveLength(20);
      expect(typeof reply.body.nextCursor).toBe('string');
    });

    it('walks every customer exactly once, in (createdAt, id) order, while others insert', async () => {
      const before = new Set<string>();
      for (let cursor: string | null = null, first = true; first || cursor; first = false) {
        const reply: Awaited<ReturnType<typeof page>> = await page(
          `?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        );
        reply.body.items.forEach((item) => before.add(item.id));
        cursor = reply.body.nextCursor;
      }

      const seen: CustomerBody[] = [];
      const inserting: Promise<unknown>[] = [];
      let cursor: string | null = null;
      do {
        const reply: Awaited<ReturnType<typeof page>> = await page(
          `?limit=7${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(reply.status).toBe(200);
        seen.push(...reply.body.items);
        cursor = reply.body.nextCursor;
        inserting.push(create({ name: 'Concurrent', email: uniqueEmail() }));
      } while (cursor);
      await Promise.all(inserting);

      const ids = seen.map((customer) => customer.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of before) expect(ids).toContain(id);
      const keys = seen.map((customer) => `${customer.createdAt}|${customer.id}`);
      expect([...keys].sort()).toEqual(keys);
    });

    it('ends with nextCursor null on the last page', async () => {
      let reply = await page('?limit=100');
      while (reply.body.nextCursor)
        reply = await page(`?limit=100&cursor=${reply.body.nextCursor}`);
      expect(reply.body.nextCursor).toBeNull();
      expect(reply.body.items.length).toBeLessThanOrEqual(100);
    });

    it.each(['0', '101', '-1', 'abc', '1.5'])('refuses limit=%s with 400', async (limit) => {
      const problem = expectProblem(await page(`?limit=${limit}`), 400);
      const fields = problem.errors!.map((error) => error.field);
      expect(new Set(fields)).toEqual(new Set(['limit']));
    });

    it.each([
      ['not base64 JSON', 'abc'],
      [
        'the wrong arity',
        Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z'])).toString('base64url'),
      ],
      [
        'a bad date',
        Buffer.from(JSON.stringify(['yesterday', randomUUID()])).toString('base64url'),
      ],
      [
        'a bad id',
        Buffer.from(JSON.stringify(['2026-01-01T00:00:00.000Z', 'x'])).toString('base64url'),
      ],
      ['an object', Buffer.from(JSON.stringify({ a: 1 })).toString('base64url')],
    ])('refuses a cursor with %s with 400', async (_, cursor) => {
      expectProblem(await page(`?cursor=${cursor}`), 400);
    });
  });
});

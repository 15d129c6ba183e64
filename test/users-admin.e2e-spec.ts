import { expectProblem } from './support/problem.js';
import { type IsolatedDatabase, createIsolatedDatabase } from './support/isolated-database.js';
import { SessionClient, type TokenPair } from './support/session-client.js';
import { type BuiltApp, startBuiltApp } from './support/spawned-app.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface AdminUser {
  id: string;
  email: string;
  role: string;
  customerId: string | null;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}
interface Page {
  items: AdminUser[];
  nextCursor: string | null;
}

/** Admins find, change and delete accounts (issue 22); nobody takes the last active admin away. */
describe('account administration', () => {
  describe('on the shared database', () => {
    let api: TestApp;
    let client: SessionClient;
    let admin: TokenPair;
    beforeAll(async () => {
      api = await startTestApp();
      client = new SessionClient(api.baseUrl);
      admin = await client.login(process.env.ADMIN_EMAIL!, process.env.ADMIN_PASSWORD!);
    });
    afterAll(() => api.close());

    const asAdmin = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) =>
      client.call<T>(method, path, { token: admin.accessToken, body });

    it('lists accounts a page at a time, like the other lists, and finds one by email in any case', async () => {
      const { email, id } = await client.register();
      const first = await asAdmin<Page>('GET', '/api/v1/users?limit=1');
      expect(first.status).toBe(200);
      expect(first.body.items).toHaveLength(1);
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await asAdmin<Page>(
        'GET',
        `/api/v1/users?limit=1&cursor=${first.body.nextCursor}`,
      );
      expect(second.body.items[0].id).not.toBe(first.body.items[0].id);

      const found = await asAdmin<Page>(
        'GET',
        `/api/v1/users?email=${encodeURIComponent(email.toUpperCase())}`,
      );
      expect(found.body).toEqual({
        items: [
          {
            id,
            email,
            role: 'customer',
            customerId: expect.any(String),
            disabled: false,
            createdAt: expect.any(String),
            updatedAt: expect.any(String),
          },
        ],
        nextCursor: null,
      });
      expect(found.text).not.toMatch(/password|scrypt/i);
      const none = await asAdmin<Page>('GET', '/api/v1/users?email=nobody%40example.com');
      expect(none.body).toEqual({ items: [], nextCursor: null });
    });

    it.each([
      ['a limit of 0', 'limit=0'],
      ['a limit over 100', 'limit=101'],
      ['a limit that is no number', 'limit=abc'],
      ['a cursor this list never issued', 'cursor=not-a-cursor'],
      ['an email longer than any', `email=${'x'.repeat(400)}`],
    ])('refuses %s with 400', async (_, query) => {
      expectProblem(await asAdmin('GET', `/api/v1/users?${query}`), 400);
    });

    it('lets only admins near the account routes: 401 without a token, 403 for a customer', async () => {
      const customer = await client.register();
      const { accessToken } = await client.login(customer.email, customer.password);
      for (const [method, path] of [
        ['GET', '/api/v1/users'],
        ['PATCH', `/api/v1/users/${customer.id}`],
        ['DELETE', `/api/v1/users/${customer.id}`],
      ]) {
        expectProblem(
          await client.call(method, path, { body: method === 'PATCH' ? {} : undefined }),
          401,
        );
        expectProblem(
          await client.call(method, path, {
            token: accessToken,
            body: method === 'PATCH' ? { role: 'admin' } : undefined,
          }),
          403,
        );
      }
      expect(await client.meStatus(accessToken)).toBe(200);
    });

    it('changes a role and disables an account, answering the account as it is now', async () => {
      const { id } = await client.register();
      const promoted = await asAdmin<AdminUser>('PATCH', `/api/v1/users/${id}`, { role: 'admin' });
      expect(promoted.status).toBe(200);
      expect(promoted.body).toMatchObject({ id, role: 'admin', disabled: false });
      const disabled = await asAdmin<AdminUser>('PATCH', `/api/v1/users/${id}`, {
        role: 'customer',
        disabled: true,
      });
      expect(disabled.body).toMatchObject({ id, role: 'customer', disabled: true });
      const unchanged = await asAdmin<AdminUser>('PATCH', `/api/v1/users/${id}`, {});
      expect(unchanged.body).toMatchObject({ id, role: 'customer', disabled: true });
    });

    it.each([
      ['an unknown role', { role: 'root' }],
      ['a role that is not a string', { role: 1 }],
      ['disabled as text', { disabled: 'yes' }],
      ['disabled null', { disabled: null }],
      ['role null', { role: null }],
    ])('refuses %s with 400', async (_, body) => {
      const { id } = await client.register();
      expectProblem(await asAdmin('PATCH', `/api/v1/users/${id}`, body), 400);
    });

    it('answers 404 for an account that does not exist and 400 for an id that is not one', async () => {
      const missing = '00000000-0000-7000-8000-000000000000';
      expectProblem(await asAdmin('PATCH', `/api/v1/users/${missing}`, { disabled: true }), 404);
      expectProblem(await asAdmin('DELETE', `/api/v1/users/${missing}`), 404);
      expectProblem(await asAdmin('PATCH', '/api/v1/users/not-an-id', { disabled: true }), 400);
      expectProblem(await asAdmin('DELETE', '/api/v1/users/not-an-id'), 400);
    });

    it('deletes an account and keeps its customer record', async () => {
      const { id, email, password } = await client.register();
      const { accessToken } = await client.login(email, password);
      const me = await client.call<{ customerId: string }>('GET', '/api/v1/users/me', {
        token: accessToken,
      });
      expect((await asAdmin('DELETE', `/api/v1/users/${id}`)).status).toBe(204);
      expect((await asAdmin('GET', `/api/v1/customers/${me.body.customerId}`)).status).toBe(200);
      expect(
        (await client.call('POST', '/api/v1/auth/login', { body: { email, password } })).status,
      ).toBe(401);
      expectProblem(await asAdmin('DELETE', `/api/v1/users/${id}`), 404);
    });
  });

  describe('the last active admin (a database of its own, one admin)', () => {
    let database: IsolatedDatabase;
    let app: BuiltApp;
    let client: SessionClient;
    let admin: TokenPair;
    let adminId: string;
    beforeAll(async () => {
      database = await createIsolatedDatabase('last_admin');
      app = await startBuiltApp({ DATABASE_URL: database.url }, { startTimeoutMs: 60_000 });
      client = new SessionClient(app.base);
      admin = await client.login(process.env.ADMIN_EMAIL!, process.env.ADMIN_PASSWORD!);
      adminId = (
        await client.call<{ id: string }>('GET', '/api/v1/users/me', { token: admin.accessToken })
      ).body.id;
    }, 120_000);
    afterAll(async () => {
      app?.child.kill('SIGTERM');
      await app?.exited;
      await database?.drop();
    });

    const activeAdmins = async () => {
      const page = await client.call<Page>('GET', '/api/v1/users?limit=100', {
        token: admin.accessToken,
      });
      return page.body.items
        .filter((user) => user.role === 'admin' && !user.disabled)
        .map((user) => user.id);
    };

    it.each([
      ['demote', 'PATCH', { role: 'customer' }],
      ['disable', 'PATCH', { disabled: true }],
      ['delete', 'DELETE', undefined],
    ])('refuses to %s the last active admin with 409', async (_, method, body) => {
      const answer = await client.call(method, `/api/v1/users/${adminId}`, {
        token: admin.accessToken,
        body,
      });
      expectProblem(answer, 409);
      expect(answer.body).toMatchObject({ detail: expect.stringMatching(/last active admin/) });
      expect(await activeAdmins()).toEqual([adminId]);
    });

    it('lets two admins demote each other at once only one way: one admin is always left', async () => {
      const other = await client.register();
      await client.call('PATCH', `/api/v1/users/${other.id}`, {
        token: admin.accessToken,
        body: { role: 'admin' },
      });
      const second = await client.login(other.email, other.password);
      const [first, last] = await Promise.all([
        client.call('PATCH', `/api/v1/users/${other.id}`, {
          token: admin.accessToken,
          body: { role: 'customer' },
        }),
        client.call('PATCH', `/api/v1/users/${adminId}`, {
          token: second.accessToken,
          body: { role: 'customer' },
        }),
      ]);
      const statuses = [first.status, last.status].sort();
      expect(statuses[0]).toBe(200);
      // The loser's check ran after the winner's commit (409), or its token already spoke for a
      // demoted account (403).
      expect([403, 409]).toContain(statuses[1]);
      expect(await activeAdmins()).toHaveLength(1);
    });
  });
});

import { randomUUID } from 'node:crypto';
import pg from 'pg';
import {
  type Account,
  bearer,
  loginAsAdmin,
  registerCustomer,
  uniqueEmail,
} from './support/auth.js';
import { expectProblem } from './support/problem.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { claims, signToken } from './support/tokens.js';

interface UserBody {
  id: string;
  email: string;
  role: string;
  customerId: string | null;
  createdAt: string;
  updatedAt: string;
}

const TOKEN_PROBLEM = 'The access token is missing, invalid or expired.';

describe('accounts and access', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  const register = (body: Record<string, unknown>) =>
    api.request<UserBody>('POST', '/api/v1/auth/register', body);
  const login = (email: string, password: string) =>
    api.request<{ accessToken: string; tokenType: string; expiresIn: number }>(
      'POST',
      '/api/v1/auth/login',
      { email, password },
    );

  describe('register, login, me', () => {
    it('registers a customer with its own customer record, logs in and reads /users/me', async () => {
      const email = uniqueEmail();
      const password = 'a long enough passphrase';
      const registered = await register({ email, password, name: 'Ada Lovelace' });
      expect(registered.status).toBe(201);
      expect(registered.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email,
        role: 'customer',
        customerId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });

      const session = await login(email.toUpperCase(), password);
      expect(session.status).toBe(200);
      expect(session.body).toEqual({
        accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        tokenType: 'Bearer',
        expiresIn: 600,
        refreshToken: expect.stringMatching(/^[\w-]{43}$/),
      });

      const me = await api.request<UserBody>(
        'GET',
        '/api/v1/users/me',
        undefined,
        bearer(session.body.accessToken),
      );
      expect(me.status).toBe(200);
      expect(me.body).toEqual(registered.body);
      expect(me.text).not.toMatch(/password|scrypt/i);

      const record = await api.request(
        'GET',
        `/api/v1/customers/${registered.body.customerId}`,
        undefined,
        bearer(session.body.accessToken),
      );
      expect(record.status).toBe(200);
      expect(record.body).toMatchObject({ name: 'Ada Lovelace', email });
    });

    it('refuses an email that is already registered, in any letter case, with 409', async () => {
      const email = uniqueEmail();
      expect((await register({ email, password: 'first password!', name: 'A' })).status).toBe(201);
      expectProblem(
        await register({ email: email.toUpperCase(), password: 'second password', name: 'B' }),
        409,
      );
    });

    it('refuses an email that a customer record already has with 409 (no taking over records)', async () => {
      const admin = await loginAsAdmin(api);
      const email = uniqueEmail();
      await api.request(
        'POST',
        '/api/v1/customers',
        { name: 'Made by admin', email },
        admin.headers,
      );
      expectProblem(await register({ email, password: 'my own password', name: 'Me' }), 409);
    });

    it.each([
      ['shorter than 12 characters', () => 'elevenchars'],
      ['equal to the email', (email: string) => email],
      ['equal to the email in another case', (email: string) => email.toUpperCase()],
    ])('refuses a password %s with 400 and creates nothing', async (_, password) => {
      const email = uniqueEmail();
      const problem = expectProblem(
        await register({ email, password: password(email), name: 'Weak' }),
        400,
      );
      expect(problem.detail).toMatch(/password/);
      expect((await register({ email, password: 'now a good password', name: 'W' })).status).toBe(
        201,
      );
    });

    it('refuses an invalid registration body with 400 per field', async () => {
      const problem = expectProblem(await register({ email: 'nope', password: 12, name: '' }), 400);
      expect(new Set(problem.errors!.map((error) => error.field))).toEqual(
        new Set(['email', 'password', 'name']),
      );
    });

    it('answers a wrong password and an unknown email with the same 401', async () => {
      const account = await registerCustomer(api);
      const wrongPassword = expectProblem(await login(account.email, 'not the password'), 401);
      const unknownEmail = expectProblem(await login(uniqueEmail(), 'not the password'), 401);
      expect(wrongPassword.detail).toBe(unknownEmail.detail);
      expect(wrongPassword.title).toBe(unknownEmail.title);
    });

    it('stores a salted scrypt hash, never the password', async () => {
      const account = await registerCustomer(api);
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      try {
        const { rows } = await client.query<{ password_hash: string }>(
          'select password_hash from users where id = $1',
          [account.userId],
        );
        expect(rows).toHaveLength(1);
        expect(rows[0].password_hash).not.toContain(account.password);
        expect(rows[0].password_hash).toMatch(/^scrypt\$\d+\$\d+\$\d+\$[^$]+\$[^$]+$/);
      } finally {
        await client.end();
      }
    });

    it('has the admin from ADMIN_EMAIL/ADMIN_PASSWORD, with no customer record', async () => {
      const admin = await loginAsAdmin(api);
      const me = await api.request<UserBody>('GET', '/api/v1/users/me', undefined, admin.headers);
      expect(me.body).toMatchObject({ role: 'admin', customerId: null });
    });
  });

  describe('access tokens', () => {
    const secret = process.env.JWT_SECRET!;
    const me = (headers: Record<string, string>) =>
      api.request('GET', '/api/v1/users/me', undefined, headers);

    it.each([
      ['no token', {}],
      ['a garbage token', bearer('not-a-jwt')],
      ['a scheme other than Bearer', { authorization: `Basic ${signToken(claims(), secret)}` }],
      ['an expired token', bearer(signToken(claims({}, -60), secret))],
      ['a token signed with another secret', bearer(signToken(claims(), 'x'.repeat(40)))],
      ['a token with alg none', bearer(signToken(claims(), secret, { alg: 'none', typ: 'JWT' }))],
      ['a token with alg HS512', bearer(signToken(claims(), secret, { alg: 'HS512', typ: 'JWT' }))],
      ['a token for another audience', bearer(signToken(claims({ aud: 'elsewhere' }), secret))],
      ['a token from another issuer', bearer(signToken(claims({ iss: 'mallory' }), secret))],
      ['a token with an unknown role', bearer(signToken(claims({ role: 'root' }), secret))],
      ['a token that never expires', bearer(signToken(claims({ exp: undefined }), secret))],
      ['a token whose exp is not a number', bearer(signToken(claims({ exp: 'never' }), secret))],
    ])('answers %s with 401 and nothing about why', async (_, headers) => {
      const problem = expectProblem(await me(headers), 401);
      expect(problem.detail).toBe(TOKEN_PROBLEM);
    });

    it('answers a tampered token (payload changed, signature kept) with 401', async () => {
      const account = await registerCustomer(api);
      const [header, , signature] = account.token.split('.');
      const payload = JSON.parse(
        Buffer.from(account.token.split('.')[1], 'base64url').toString(),
      ) as Record<string, unknown>;
      const forged = Buffer.from(JSON.stringify({ ...payload, role: 'admin' })).toString(
        'base64url',
      );
      const problem = expectProblem(await me(bearer(`${header}.${forged}.${signature}`)), 401);
      expect(problem.detail).toBe(TOKEN_PROBLEM);
    });

    it('accepts a token it issued', async () => {
      const account = await registerCustomer(api);
      expect((await me(account.headers)).status).toBe(200);
    });
  });

  describe('public and protected routes', () => {
    it.each(['/', '/api/v1/status'])('serves %s without a token', async (path) => {
      expect((await api.request('GET', path)).status).toBe(200);
    });

    it.each([
      ['GET', '/api/v1/customers'],
      ['GET', `/api/v1/customers/${randomUUID()}`],
      ['POST', '/api/v1/customers'],
      ['GET', '/api/v1/users/me'],
    ])('refuses %s %s without a token with 401', async (method, path) => {
      const body = method === 'POST' ? { name: 'X', email: uniqueEmail() } : undefined;
      expectProblem(await api.request(method, path, body), 401);
    });
  });

  describe('customers by role and ownership', () => {
    let admin: Account;
    let ada: Account;
    let bob: Account;
    beforeAll(async () => {
      admin = await loginAsAdmin(api);
      ada = await registerCustomer(api, 'Ada');
      bob = await registerCustomer(api, 'Bob');
    });

    it('refuses a customer creating customer records with 403', async () => {
      const reply = await api.request(
        'POST',
        '/api/v1/customers',
        { name: 'Someone', email: uniqueEmail() },
        ada.headers,
      );
      expectProblem(reply, 403);
    });

    it('refuses a customer deleting a record with 403, even their own', async () => {
      expectProblem(
        await api.request('DELETE', `/api/v1/customers/${ada.customerId}`, undefined, ada.headers),
        403,
      );
    });

    it('lets a customer read and change their own record', async () => {
      const own = `/api/v1/customers/${ada.customerId}`;
      expect((await api.request('GET', own, undefined, ada.headers)).status).toBe(200);
      const changed = await api.request('PATCH', own, { phone: '+1 555 0199' }, ada.headers);
      expect(changed.status).toBe(200);
      expect(changed.body).toMatchObject({ phone: '+1 555 0199' });
    });

    it('answers 404 when customer A reads or changes B’s record, as for a missing one', async () => {
      const others = `/api/v1/customers/${bob.customerId}`;
      const read = expectProblem(await api.request('GET', others, undefined, ada.headers), 404);
      expectProblem(await api.request('PATCH', others, { name: 'Hacked' }, ada.headers), 404);
      const missing = expectProblem(
        await api.request('GET', `/api/v1/customers/${randomUUID()}`, undefined, ada.headers),
        404,
      );
      expect(read.title).toBe(missing.title);
      const untouched = await api.request('GET', others, undefined, bob.headers);
      expect(untouched.body).toMatchObject({ name: 'Bob' });
    });

    it('lists only the customer’s own record; an admin sees everyone', async () => {
      const own = await api.request<{ items: { id: string }[]; nextCursor: string | null }>(
        'GET',
        '/api/v1/customers?limit=100',
        undefined,
        ada.headers,
      );
      expect(own.status).toBe(200);
      expect(own.body).toEqual({
        items: [expect.objectContaining({ id: ada.customerId })],
        nextCursor: null,
      });

      const seen = new Set<string>();
      let cursor: string | null = null;
      do {
        const page: { body: { items: { id: string }[]; nextCursor: string | null } } =
          await api.request(
            'GET',
            `/api/v1/customers?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
            undefined,
            admin.headers,
          );
        page.body.items.forEach((item) => seen.add(item.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toContain(ada.customerId);
      expect(seen).toContain(bob.customerId);
    });

    describe('the email of a customer account’s record, which is the account’s login', () => {
      const patchAs = (account: Account, customerId: string | null, body: object) =>
        api.request('PATCH', `/api/v1/customers/${customerId}`, body, account.headers);

      it('refuses a customer changing it with the same 403, whoever the address belongs to', async () => {
        const eve = await registerCustomer(api, 'Eve');
        const freeAddress = uniqueEmail();
        const toFree = expectProblem(
          await patchAs(eve, eve.customerId, { email: freeAddress }),
          403,
        );
        const toTaken = expectProblem(
          await patchAs(eve, eve.customerId, { email: bob.email }),
          403,
        );
        const toAdmins = expectProblem(
          await patchAs(eve, eve.customerId, { email: process.env.ADMIN_EMAIL, name: 'Eve' }),
          403,
        );
        for (const problem of [toTaken, toAdmins]) {
          expect({ ...problem, instance: '', requestId: '' }).toEqual({
            ...toFree,
            instance: '',
            requestId: '',
          });
        }
        const record = await api.request(
          'GET',
          `/api/v1/customers/${eve.customerId}`,
          undefined,
          eve.headers,
        );
        expect(record.body).toMatchObject({ email: eve.email, name: 'Eve' });
        // The address Eve tried to take is still free for its owner.
        expect(
          (await register({ email: freeAddress, password: 'the owner’s passphrase', name: 'O' }))
            .status,
        ).toBe(201);
      });

      it('lets a customer send their current email back unchanged with other changes', async () => {
        const carol = await registerCustomer(api, 'Carol');
        const changed = await patchAs(carol, carol.customerId, {
          email: carol.email,
          name: 'Carol B.',
        });
        expect(changed.status).toBe(200);
        expect(changed.body).toMatchObject({ email: carol.email, name: 'Carol B.' });
      });

      it('lets an admin change it, and the account logs in with the new email only', async () => {
        const dan = await registerCustomer(api, 'Dan');
        const newEmail = uniqueEmail();
        const changed = await patchAs(admin, dan.customerId, { email: newEmail });
        expect(changed.status).toBe(200);
        expect(changed.body).toMatchObject({ email: newEmail });

        expectProblem(await login(dan.email, dan.password), 401);
        const session = await login(newEmail, dan.password);
        expect(session.status).toBe(200);
        const me = await api.request(
          'GET',
          '/api/v1/users/me',
          undefined,
          bearer(session.body.accessToken),
        );
        expect(me.body).toMatchObject({ email: newEmail, customerId: dan.customerId });
        // The old address is free again, for anyone.
        expect(
          (await register({ email: dan.email, password: 'another passphrase', name: 'D2' })).status,
        ).toBe(201);
      });

      it('refuses an admin moving it onto another account’s email with 409, changing nothing', async () => {
        const erin = await registerCustomer(api, 'Erin');
        expectProblem(await patchAs(admin, erin.customerId, { email: bob.email }), 409);
        expectProblem(
          await patchAs(admin, erin.customerId, { email: process.env.ADMIN_EMAIL }),
          409,
        );
        expect((await login(erin.email, erin.password)).status).toBe(200);
        const record = await api.request(
          'GET',
          `/api/v1/customers/${erin.customerId}`,
          undefined,
          admin.headers,
        );
        expect(record.body).toMatchObject({ email: erin.email });
      });
    });

    it('lets an admin read and change any record', async () => {
      const others = `/api/v1/customers/${bob.customerId}`;
      expect((await api.request('GET', others, undefined, admin.headers)).status).toBe(200);
      expect((await api.request('PATCH', others, { name: 'Robert' }, admin.headers)).status).toBe(
        200,
      );
    });
  });
});

import pg from 'pg';
import { SessionPurge } from '../src/modules/accounts/sessions/session-purge.js';
import { expectProblem } from './support/problem.js';
import { type SessionClient as Client, SessionClient, within } from './support/session-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { claims, signToken } from './support/tokens.js';

/**
 * Sessions on one instance: refresh rotation, reuse detection, concurrent refreshes, logout,
 * logout-all and password changes (issue 22). Revocation reaches even the instance that made it
 * through its notice, so checks poll for up to a second (the bound).
 */
describe('sessions', () => {
  let api: TestApp;
  let client: Client;
  beforeAll(async () => {
    api = await startTestApp();
    client = new SessionClient(api.baseUrl);
  });
  afterAll(() => api.close());

  const refusedWithin = (token: string, ms = 1000) =>
    within(ms, async () => (await client.meStatus(token)) === 401);

  it('answers a refresh token at login and spends it for a new pair, in the login’s shape', async () => {
    const { email, password } = await client.register();
    const first = await client.login(email, password);
    expect(first.refreshToken).toMatch(/^[\w-]{43}$/);

    const next = await client.refresh(first.refreshToken);
    expect(next.status).toBe(200);
    expect(next.body).toEqual({
      accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
      tokenType: 'Bearer',
      expiresIn: 600,
      refreshToken: expect.stringMatching(/^[\w-]{43}$/),
    });
    expect(next.body.refreshToken).not.toBe(first.refreshToken);
    expect(await client.meStatus(next.body.accessToken)).toBe(200);
    // Rotation alone ends nothing: the older access token lives until it expires.
    expect(await client.meStatus(first.accessToken)).toBe(200);

    const third = await client.refresh(next.body.refreshToken);
    expect(third.status).toBe(200);
  });

  it('answers a spent refresh token with 401 and ends its session: successor and access tokens too', async () => {
    const { email, password } = await client.register();
    const first = await client.login(email, password);
    const second = (await client.refresh(first.refreshToken)).body;

    const reuse = await client.refresh(first.refreshToken);
    expectProblem(reuse, 401);
    expect(reuse.body).toMatchObject({ detail: expect.stringMatching(/already used/) });

    expect((await client.refresh(second.refreshToken)).status).toBe(401);
    await refusedWithin(second.accessToken);
    await refusedWithin(first.accessToken);
    // Another login of the same account is another session, untouched.
    const other = await client.login(email, password);
    expect(await client.meStatus(other.accessToken)).toBe(200);
  });

  it('lets exactly one of several concurrent refreshes with one token win; never two live successors', async () => {
    const { email, password } = await client.register();
    const { refreshToken } = await client.login(email, password);
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => client.refresh(refreshToken)),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 401, 401, 401, 401, 401]);
    // The losers presented a spent token: reuse, so the session ended (decision 0162).
    const winner = answers.find((answer) => answer.status === 200)!.body;
    expect((await client.refresh(winner.refreshToken)).status).toBe(401);
  });

  it.each([
    ['no refreshToken', undefined, 400],
    ['a number', 42, 400],
    ['null', null, 400],
    ['an array', ['x'], 400],
    ['an object', { token: 'x' }, 400],
    ['a string far too long', 'x'.repeat(10_000), 400],
    ['an empty string', '', 401],
    ['a short string', 'abc', 401],
    ['an access token', 'eyJhbGciOiJIUzI1NiJ9.e30.sig', 401],
    ['43 characters never issued', 'A'.repeat(43), 401],
    ['43 characters with a percent sign', `${'A'.repeat(42)}%`, 401],
  ])('refuses %s as a refresh token with a problem document', async (_, token, status) => {
    const answer = await client.call('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: token },
    });
    expectProblem(answer, status);
  });

  it('refuses a refresh without a body, or with one that is not JSON, with 400', async () => {
    expectProblem(await client.call('POST', '/api/v1/auth/refresh'), 400);
    expectProblem(
      await client.call('POST', '/api/v1/auth/refresh', { body: '{"refreshToken":' }),
      400,
    );
  });

  it('logout ends this session only: its tokens are refused, another session of the account works', async () => {
    const { email, password } = await client.register();
    const phone = await client.login(email, password);
    const laptop = await client.login(email, password);

    expect(
      (await client.call('POST', '/api/v1/auth/logout', { token: phone.accessToken })).status,
    ).toBe(204);
    await refusedWithin(phone.accessToken);
    expect((await client.refresh(phone.refreshToken)).status).toBe(401);
    expect(await client.meStatus(laptop.accessToken)).toBe(200);
    expect((await client.refresh(laptop.refreshToken)).status).toBe(200);
    // Without a token, logout is refused like any other route.
    expect((await client.call('POST', '/api/v1/auth/logout')).status).toBe(401);
  });

  it('logout-all ends every session of the account', async () => {
    const { email, password } = await client.register();
    const phone = await client.login(email, password);
    const laptop = await client.login(email, password);

    expect(
      (await client.call('POST', '/api/v1/auth/logout-all', { token: phone.accessToken })).status,
    ).toBe(204);
    await refusedWithin(phone.accessToken);
    await refusedWithin(laptop.accessToken);
    expect((await client.refresh(laptop.refreshToken)).status).toBe(401);
    // Logging in again starts afresh.
    const again = await client.login(email, password);
    expect(await client.meStatus(again.accessToken)).toBe(200);
  });

  it('changes the password with the current one, ending every other session and keeping this one', async () => {
    const { email, password } = await client.register();
    const phone = await client.login(email, password);
    const laptop = await client.login(email, password);
    const change = (body: unknown) =>
      client.call('POST', '/api/v1/users/me/password', { token: phone.accessToken, body });

    const wrong = await change({
      currentPassword: 'not the password',
      newPassword: 'a new long passphrase',
    });
    expect(wrong.status).toBe(403);
    expect(wrong.contentType).toMatch(/^application\/problem\+json/);
    expect((await change({ currentPassword: password, newPassword: 'short' })).status).toBe(400);
    expect((await change({ currentPassword: password })).status).toBe(400);
    expect(await client.meStatus(laptop.accessToken)).toBe(200);

    expect(
      (await change({ currentPassword: password, newPassword: 'a new long passphrase' })).status,
    ).toBe(204);
    await refusedWithin(laptop.accessToken);
    expect((await client.refresh(laptop.refreshToken)).status).toBe(401);
    expect(await client.meStatus(phone.accessToken)).toBe(200);
    expect((await client.refresh(phone.refreshToken)).status).toBe(200);

    expect(
      (await client.call('POST', '/api/v1/auth/login', { body: { email, password } })).status,
    ).toBe(401);
    await client.login(email, 'a new long passphrase');
  });

  describe('tokens issued before sessions (JWT_SECRET deployments upgraded)', () => {
    const legacyToken = (userId: string) =>
      signToken(claims({ sub: userId, role: 'customer', cid: null }), process.env.JWT_SECRET!);

    it('accepts a token without a session id until it expires', async () => {
      const { id } = await client.register();
      expect(await client.meStatus(legacyToken(id))).toBe(200);
    });

    it('refuses it once the account signs out everywhere', async () => {
      const { id, email, password } = await client.register();
      const token = legacyToken(id);
      const { accessToken } = await client.login(email, password);
      expect(
        (await client.call('POST', '/api/v1/auth/logout-all', { token: accessToken })).status,
      ).toBe(204);
      await refusedWithin(token);
    });

    it('answers logout with such a token with 204: it has no session to end', async () => {
      const { id } = await client.register();
      expect(
        (await client.call('POST', '/api/v1/auth/logout', { token: legacyToken(id) })).status,
      ).toBe(204);
    });
  });

  it('purges sessions ended longer ago than a token lives and old spent tokens, and nothing live', async () => {
    const database = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await database.connect();
    try {
      const sessionOf = (pair: { accessToken: string }) =>
        (
          JSON.parse(Buffer.from(pair.accessToken.split('.')[1], 'base64url').toString()) as {
            sid: string;
          }
        ).sid;
      const { email, password } = await client.register();
      const ended = await client.login(email, password);
      const live = await client.login(email, password);
      const refreshed = (await client.refresh(live.refreshToken)).body;
      await database.query(
        "update sessions set revoked_at = now() - interval '2 days' where id = $1",
        [sessionOf(ended)],
      );
      await database.query(
        "update refresh_tokens set spent_at = now() - interval '2 days' where session_id = $1 and spent_at is not null",
        [sessionOf(live)],
      );

      await api.app.get(SessionPurge).purge();

      const count = async (sql: string, id: string) =>
        Number((await database.query<{ n: string }>(sql, [id])).rows[0].n);
      expect(
        await count('select count(*) as n from sessions where id = $1', sessionOf(ended)),
      ).toBe(0);
      expect(
        await count(
          'select count(*) as n from refresh_tokens where session_id = $1',
          sessionOf(ended),
        ),
      ).toBe(0);
      // The live session keeps its current token; its old spent one is gone.
      expect(
        await count(
          'select count(*) as n from refresh_tokens where session_id = $1',
          sessionOf(live),
        ),
      ).toBe(1);
      expect((await client.refresh(refreshed.refreshToken)).status).toBe(200);
    } finally {
      await database.end();
    }
  });
});

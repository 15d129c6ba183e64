import pg from 'pg';
import { SessionClient, type TokenPair, within } from './support/session-client.js';
import { type BuiltApp, startBuiltApp } from './support/spawned-app.js';

/** The listener's application_name (src/modules/accounts/sessions/revocation-feed.ts). */
const LISTENER = 'keel-revocations';
/** The bound: refused on every instance within a second. */
const AT_ONCE_MS = 1000;

/**
 * Two Keel processes on one database (issue 22, "at once, everywhere"): what one instance revokes,
 * the other refuses within a second — by LISTEN/NOTIFY, and by the catch-up read after its
 * listener's connection was killed.
 */
describe('revocation across instances', () => {
  let one: BuiltApp;
  let two: BuiltApp;
  let a: SessionClient;
  let b: SessionClient;
  let admin: TokenPair;
  let database: pg.Client;

  beforeAll(async () => {
    // A shared, loaded machine can take a while to start two processes at once.
    const slowStart = { startTimeoutMs: 60_000 };
    [one, two] = await Promise.all([startBuiltApp({}, slowStart), startBuiltApp({}, slowStart)]);
    a = new SessionClient(one.base);
    b = new SessionClient(two.base);
    admin = await a.login(process.env.ADMIN_EMAIL!, process.env.ADMIN_PASSWORD!);
    database = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await database.connect();
  }, 120_000);
  afterAll(async () => {
    await database?.end();
    for (const app of [one, two]) app?.child.kill('SIGTERM');
    await Promise.all([one?.exited, two?.exited]);
  });

  const patchUser = (id: string, body: unknown) =>
    a.call('PATCH', `/api/v1/users/${id}`, { token: admin.accessToken, body });
  const refusedOn = (client: SessionClient, token: string, status = 401) =>
    within(AT_ONCE_MS, async () => (await client.meStatus(token)) === status);

  it('refuses on B a token that logged out on A, within a second', async () => {
    const { email, password } = await a.register();
    const session = await a.login(email, password);
    expect(await b.meStatus(session.accessToken)).toBe(200);
    expect(
      (await a.call('POST', '/api/v1/auth/logout', { token: session.accessToken })).status,
    ).toBe(204);
    expect(await refusedOn(b, session.accessToken)).toBeLessThan(AT_ONCE_MS);
  });

  it('answers 403 on B where an admin demoted on A no longer suffices, at once', async () => {
    const { email, password, id } = await a.register();
    expect((await patchUser(id, { role: 'admin' })).status).toBe(200);
    const promoted = await b.login(email, password);
    expect(await b.adminReadStatus(promoted.accessToken)).toBe(200);

    expect((await patchUser(id, { role: 'customer' })).status).toBe(200);
    await within(AT_ONCE_MS, async () => (await b.adminReadStatus(promoted.accessToken)) === 403);
    // Still signed in, as what the account is now.
    expect(await b.meStatus(promoted.accessToken)).toBe(200);
  });

  it('refuses every token of an account disabled on A, on both instances; it cannot log in or refresh', async () => {
    const { email, password, id } = await a.register();
    const onA = await a.login(email, password);
    const onB = await b.login(email, password);
    expect((await patchUser(id, { disabled: true })).status).toBe(200);
    await refusedOn(a, onA.accessToken);
    await refusedOn(b, onB.accessToken);
    await refusedOn(b, onA.accessToken);
    expect((await b.refresh(onB.refreshToken)).status).toBe(401);
    const login = await b.call('POST', '/api/v1/auth/login', { body: { email, password } });
    expect(login.status).toBe(401);
    expect(login.body).toMatchObject({ detail: 'This account is disabled.' });

    expect((await patchUser(id, { disabled: false })).status).toBe(200);
    const again = await b.login(email, password);
    expect(await a.meStatus(again.accessToken)).toBe(200);
  });

  it('refuses on B the tokens of an account deleted on A', async () => {
    const { email, password, id } = await a.register();
    const onB = await b.login(email, password);
    expect(
      (await a.call('DELETE', `/api/v1/users/${id}`, { token: admin.accessToken })).status,
    ).toBe(204);
    await refusedOn(b, onB.accessToken);
  });

  it('ends the other sessions on a password change on A: refused on B, the changing one stays', async () => {
    const { email, password } = await a.register();
    const here = await a.login(email, password);
    const elsewhere = await b.login(email, password);
    const change = await a.call('POST', '/api/v1/users/me/password', {
      token: here.accessToken,
      body: { currentPassword: password, newPassword: 'another long passphrase' },
    });
    expect(change.status).toBe(204);
    await refusedOn(b, elsewhere.accessToken);
    expect(await b.meStatus(here.accessToken)).toBe(200);
  });

  it('ends the session on both instances when a spent refresh token comes back', async () => {
    const { email, password } = await a.register();
    const first = await a.login(email, password);
    const second = (await b.refresh(first.refreshToken)).body;
    expect(await a.meStatus(second.accessToken)).toBe(200);
    expect((await a.refresh(first.refreshToken)).status).toBe(401);
    await refusedOn(b, second.accessToken);
    await refusedOn(a, second.accessToken);
  });

  describe('after the listeners’ connections were killed (pg_terminate_backend)', () => {
    const listeners = async () =>
      (
        await database.query<{ count: string }>(
          'select count(*) from pg_stat_activity where application_name = $1 and datname = current_database()',
          [LISTENER],
        )
      ).rows[0].count;
    const killListeners = async () => {
      const killed = await database.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1 and datname = current_database()',
        [LISTENER],
      );
      // At least those of A and B (other suites' apps on this database may have theirs).
      expect(killed.rowCount).toBeGreaterThanOrEqual(2);
      return killed.rowCount!;
    };

    it('catches up on reconnecting: a logout made while B was not listening is refused within a second', async () => {
      const { email, password } = await a.register();
      const session = await a.login(email, password);
      expect(await b.meStatus(session.accessToken)).toBe(200);
      await killListeners();
      expect(
        (await a.call('POST', '/api/v1/auth/logout', { token: session.accessToken })).status,
      ).toBe(204);
      expect(await refusedOn(b, session.accessToken)).toBeLessThan(AT_ONCE_MS);
    });

    it('reads on reconnecting what no notification announced (a session ended straight in the table)', async () => {
      const { email, password } = await a.register();
      const session = await a.login(email, password);
      const { sid } = JSON.parse(
        Buffer.from(session.accessToken.split('.')[1], 'base64url').toString(),
      ) as { sid: string };
      await database.query('update sessions set revoked_at = now() where id = $1', [sid]);
      expect(await b.meStatus(session.accessToken)).toBe(200);
      await killListeners();
      expect(await refusedOn(b, session.accessToken, 401)).toBeLessThan(AT_ONCE_MS);
    });

    it('listens again once reconnected: reuse, demotion and logout reach B at once', async () => {
      const killed = await killListeners();
      await within(10_000, async () => Number(await listeners()) >= killed);

      const { email, password } = await a.register();
      const first = await a.login(email, password);
      const second = (await b.refresh(first.refreshToken)).body;
      expect((await a.refresh(first.refreshToken)).status).toBe(401);
      expect(await refusedOn(b, second.accessToken)).toBeLessThan(AT_ONCE_MS);

      const other = await a.register();
      expect((await patchUser(other.id, { role: 'admin' })).status).toBe(200);
      const promoted = await b.login(other.email, other.password);
      expect((await patchUser(other.id, { role: 'customer' })).status).toBe(200);
      await within(AT_ONCE_MS, async () => (await b.adminReadStatus(promoted.accessToken)) === 403);

      expect(
        (await a.call('POST', '/api/v1/auth/logout', { token: promoted.accessToken })).status,
      ).toBe(204);
      expect(await refusedOn(b, promoted.accessToken)).toBeLessThan(AT_ONCE_MS);
    });
  });
});

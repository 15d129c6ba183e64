import pg from 'pg';
import { SessionClient, within } from './support/session-client.js';
import { type BuiltApp, spawnApp, startBuiltApp } from './support/spawned-app.js';

const IDLE_SECONDS = 3;
const ABSOLUTE_SECONDS = 5;
const RESYNC_SECONDS = 1;

const sleepUntil = (at: number) =>
  new Promise((wake) => setTimeout(wake, Math.max(0, at - Date.now())));
const sessionIdOf = (accessToken: string): string =>
  (JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString()) as { sid: string })
    .sid;

/**
 * The documented bounds, with small values: a session ends after SESSION_IDLE_TIMEOUT without a
 * refresh and SESSION_ABSOLUTE_TIMEOUT after its login whatever the refreshes; a revocation whose
 * notification never arrived is read within REVOCATION_RESYNC_INTERVAL.
 */
describe('session lifetimes and the resync bound', () => {
  let app: BuiltApp;
  let client: SessionClient;
  let database: pg.Client;
  beforeAll(async () => {
    app = await startBuiltApp(
      {
        SESSION_IDLE_TIMEOUT: `${IDLE_SECONDS}s`,
        SESSION_ABSOLUTE_TIMEOUT: String(ABSOLUTE_SECONDS),
        REVOCATION_RESYNC_INTERVAL: `${RESYNC_SECONDS}s`,
      },
      { startTimeoutMs: 60_000 },
    );
    client = new SessionClient(app.base);
    database = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await database.connect();
  }, 90_000);
  afterAll(async () => {
    await database?.end();
    app?.child.kill('SIGTERM');
    await app?.exited;
  });

  it('ends a session left unrefreshed for the idle timeout', async () => {
    const { email, password } = await client.register();
    const session = await client.login(email, password);
    const loggedInAt = Date.now();
    await sleepUntil(loggedInAt + IDLE_SECONDS * 1000 + 500);
    expect((await client.refresh(session.refreshToken)).status).toBe(401);
  });

  it('keeps a refreshed session past the idle timeout, but not past the absolute one', async () => {
    const { email, password } = await client.register();
    let { refreshToken } = await client.login(email, password);
    const loggedInAt = Date.now();
    for (const at of [2000, 3800]) {
      await sleepUntil(loggedInAt + at);
      const next = await client.refresh(refreshToken);
      expect(next.status).toBe(200);
      refreshToken = next.body.refreshToken;
    }
    // Refreshed 1.7 s ago at most: idle would allow it, the absolute timeout does not.
    await sleepUntil(loggedInAt + ABSOLUTE_SECONDS * 1000 + 500);
    expect((await client.refresh(refreshToken)).status).toBe(401);
  }, 30_000);

  it('refuses within the resync interval a revocation whose notification never came', async () => {
    const { email, password } = await client.register();
    const session = await client.login(email, password);
    // Written straight to the table: no NOTIFY, as if the notification were lost.
    await database.query('update sessions set revoked_at = now() where id = $1', [
      sessionIdOf(session.accessToken),
    ]);
    expect(await client.meStatus(session.accessToken)).toBe(200);
    const took = await within(
      RESYNC_SECONDS * 1000 + 1500,
      async () => (await client.meStatus(session.accessToken)) === 401,
    );
    expect(took).toBeLessThanOrEqual(RESYNC_SECONDS * 1000 + 1500);
  });

  it('stops at start with one line naming a bad session variable', async () => {
    // Checked by the config slice at start, like every variable (startup-failures.e2e-spec.ts).
    const bad = spawnApp({
      NODE_ENV: 'production',
      DATABASE_URL: process.env.DATABASE_URL,
      SESSION_IDLE_TIMEOUT: 'a week',
      PORT: '0',
    });
    const { code } = await bad.exited;
    expect(code).toBe(1);
    expect(bad.output()).toMatch(/SESSION_IDLE_TIMEOUT/);
  }, 60_000);
});

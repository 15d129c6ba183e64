import pg from 'pg';
import { createIsolatedDatabase, type IsolatedDatabase } from './support/isolated-database.js';
import { expectProblem } from './support/problem.js';
import { type BuiltApp, startBuiltApp } from './support/spawned-app.js';
import type { Reply } from './support/test-app.js';

const BOUND_MS = 300;

/**
 * DB_STATEMENT_TIMEOUT_MS (decision 0151): every statement of the app's role in its database is
 * cancelled after the bound, by a setting PostgreSQL applies when a session starts — no startup
 * parameter, which PgBouncer in transaction mode refuses — and the request answers 503, never 500.
 * On a database of its own: the bound is the role's default there, for every session.
 */
describe('the bound on every statement’s time', () => {
  let database: IsolatedDatabase;
  let app: BuiltApp;
  let locker: pg.Client;

  beforeAll(async () => {
    database = await createIsolatedDatabase('statement_timeout');
    app = await startBuiltApp({
      DATABASE_URL: database.url,
      DB_STATEMENT_TIMEOUT_MS: String(BOUND_MS),
    });
  }, 60_000);
  afterAll(async () => {
    await locker?.end();
    app?.child.kill('SIGKILL');
    await app?.exited;
    await database?.drop();
  });

  const get = async (path: string): Promise<Reply> => {
    // Without a bound the request would wait for the lock as long as it is held.
    const response = await fetch(`${app.base}${path}`, { signal: AbortSignal.timeout(10_000) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
  };

  it('is the role’s default in the database, so a plain new session has it', async () => {
    const session = new pg.Client({ connectionString: database.url });
    await session.connect();
    try {
      const { rows } = await session.query<{ statement_timeout: string }>('show statement_timeout');
      expect(rows[0].statement_timeout).toBe(`${BOUND_MS}ms`);
    } finally {
      await session.end();
    }
  });

  it('cancels a statement that runs past it and answers 503 problem+json with Retry-After', async () => {
    expect((await get('/api/v1/products')).status).toBe(200);
    // A writer holding the table: every read of it waits, as behind a long migration or a stuck batch.
    locker = new pg.Client({ connectionString: database.url });
    await locker.connect();
    await locker.query('begin');
    await locker.query('lock table products in access exclusive mode');

    const startedAt = Date.now();
    const reply = await get('/api/v1/products?q=mug');
    const tookMs = Date.now() - startedAt;
    const problem = expectProblem(reply, 503);
    expect(problem.type).toMatch(/statement-timeout$/);
    expect(Number(reply.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(tookMs).toBeGreaterThanOrEqual(BOUND_MS - 50);
    expect(tookMs).toBeLessThan(5000);

    await locker.query('rollback');
    expect((await get('/api/v1/products?q=mug')).status).toBe(200);
  });
});

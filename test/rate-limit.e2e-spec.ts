import { randomUUID } from 'node:crypto';
import { clientAt } from './support/client-address.js';
import { expectProblem } from './support/problem.js';
import type { Reply, TestApp } from './support/test-app.js';

// This suite's app runs with the production default for credential endpoints and a global limit.
// The environment is read when the app's modules load, hence the dynamic import below.
process.env.AUTH_RATE_LIMIT_PER_MINUTE = '5';
process.env.RATE_LIMIT_PER_MINUTE = '30';
const { startTestApp } = await import('./support/test-app.js');

/**
 * Other suites log in from the same IP against the same counters (with a high limit of their own),
 * so this suite may hit its limit a little earlier than the 6th attempt, never later.
 */
async function attemptsUntil429(
  attempt: () => Promise<Reply<unknown>>,
  max: number,
): Promise<{ statuses: number[]; last?: Reply<unknown> }> {
  const statuses: number[] = [];
  for (let i = 0; i < max; i += 1) {
    const reply = await attempt();
    statuses.push(reply.status);
    if (reply.status === 429) return { statuses, last: reply };
  }
  return { statuses };
}

describe('rate limits', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  it('stops a login brute force with 429 problem+json and Retry-After', async () => {
    const { statuses, last } = await attemptsUntil429(
      () =>
        api.request('POST', '/api/v1/auth/login', {
          email: 'victim@example.com',
          password: 'guess-number-one',
        }),
      6,
    );
    expect(last).toBeDefined();
    expect(statuses.slice(0, -1).every((status) => status === 401)).toBe(true);
    expectProblem(last!, 429);
    const retryAfter = Number(last!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  describe('from two client addresses', () => {
    // Addresses no other suite uses, so their counters start at zero (other suites send from 127.0.0.1).
    const VICTIM = '127.0.0.2';
    const STRANGER = '127.0.0.3';

    it('stops a stranger’s guesses without locking the account’s owner out elsewhere', async () => {
      const victim = clientAt(api.baseUrl, VICTIM);
      const stranger = clientAt(api.baseUrl, STRANGER);
      const account = {
        email: `owner-${randomUUID()}@example.com`,
        password: 'the owner’s passphrase',
      };
      expect(
        (await victim('POST', '/api/v1/auth/register', { ...account, name: 'Owner' })).status,
      ).toBe(201);

      const guess = () =>
        stranger('POST', '/api/v1/auth/login', {
          email: account.email,
          password: 'a wrong guess!',
        });
      const guesses = await attemptsUntil429(guess, 6);
      expect(guesses.statuses).toEqual([401, 401, 401, 401, 401, 429]);
      expectProblem(guesses.last!, 429);

      const owner = await victim<{ accessToken: string }>('POST', '/api/v1/auth/login', account);
      expect(owner.status).toBe(200);
      expect(owner.body.accessToken).toEqual(expect.any(String));
      // The stranger's budget is spent for every account, not only for this one.
      const spray = await stranger('POST', '/api/v1/auth/login', {
        email: `other-${randomUUID()}@example.com`,
        password: 'a wrong guess!',
      });
      expectProblem(spray, 429);
    });
  });

  it('counts login and register against one budget per client address', async () => {
    // The README promises AUTH_RATE_LIMIT_PER_MINUTE for both together (issue 21, item 9).
    // An address of its own each run: counters live in the database, across runs of the suite.
    const octet = () => 1 + Math.floor(Math.random() * 254);
    const client = clientAt(api.baseUrl, `127.${octet()}.${octet()}.${octet()}`);
    const login = () =>
      client('POST', '/api/v1/auth/login', { email: 'nobody@example.com', password: 'a guess!' });
    const register = () =>
      client('POST', '/api/v1/auth/register', { email: 'not-an-email', password: 'x', name: 'S' });
    const statuses: number[] = [];
    for (const attempt of [login, register, login, register, login, register, login]) {
      statuses.push((await attempt()).status);
    }
    expect(statuses).toEqual([401, 400, 401, 400, 401, 429, 429]);
  });

  it('limits registration too', async () => {
    const { last } = await attemptsUntil429(
      () =>
        api.request('POST', '/api/v1/auth/register', {
          email: 'not-an-email',
          password: 'x',
          name: 'Spam',
        }),
      6,
    );
    expect(last).toBeDefined();
    expect(last!.status).toBe(429);
  });

  it('applies RATE_LIMIT_PER_MINUTE to every route but the probes', async () => {
    const { last } = await attemptsUntil429(() => api.request('GET', '/api/v1/users/me'), 31);
    expect(last).toBeDefined();
    expectProblem(last!, 429);
    expect((await api.request('GET', '/api/v1/status')).status).toBe(200);
    expect((await api.request('GET', '/')).status).toBe(200);
  });
});

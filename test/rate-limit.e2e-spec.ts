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

  describe('RateLimit fields (draft-ietf-httpapi-ratelimit-headers)', () => {
    // An address of its own each run: counters live in the database, across runs of the suite.
    const freshAddress = () => {
      const octet = () => 1 + Math.floor(Math.random() * 254);
      return `127.${octet()}.${octet()}.${octet()}`;
    };
    const remaining = (reply: Reply<unknown>, policy: string): number => {
      const item = (reply.headers.get('ratelimit') ?? '')
        .split(', ')
        .find((member) => member.startsWith(`"${policy}";`));
      const match = /^"[a-z-]+";r=(\d+);t=(\d+)$/.exec(item ?? '');
      if (!match)
        throw new Error(`no ${policy} item in RateLimit: ${reply.headers.get('ratelimit')}`);
      expect(Number(match[2])).toBeGreaterThanOrEqual(1);
      expect(Number(match[2])).toBeLessThanOrEqual(60);
      return Number(match[1]);
    };

    it('announces both policies on a credential route, counting down to the 429', async () => {
      const client = clientAt(api.baseUrl, freshAddress());
      const replies: Reply<unknown>[] = [];
      for (let i = 0; i < 6; i += 1) {
        replies.push(
          await client('POST', '/api/v1/auth/login', { email: 'x@example.com', password: 'nope!' }),
        );
      }
      expect(replies.map((reply) => reply.status)).toEqual([401, 401, 401, 401, 401, 429]);
      for (const reply of replies) {
        expect(reply.headers.get('ratelimit-policy')).toBe(
          '"global";q=30;w=60, "auth-ip";q=5;w=60',
        );
      }
      expect(replies.map((reply) => remaining(reply, 'auth-ip'))).toEqual([4, 3, 2, 1, 0, 0]);
      expect(replies.map((reply) => remaining(reply, 'global'))).toEqual([29, 28, 27, 26, 25, 24]);
    });

    it('tells the same count on every instance: the counter is shared', async () => {
      const second = await startTestApp();
      try {
        const address = freshAddress();
        const [one, two] = [clientAt(api.baseUrl, address), clientAt(second.baseUrl, address)];
        const counts: number[] = [];
        for (const client of [one, two, one, two]) {
          counts.push(remaining(await client('GET', '/api/v1/products?limit=1'), 'global'));
        }
        expect(counts).toEqual([29, 28, 27, 26]);
      } finally {
        await second.close();
      }
    });

    it('leaves them off where no limit applies (infrastructure routes)', async () => {
      const status = await api.request('GET', '/api/v1/status');
      expect(status.headers.get('ratelimit')).toBeNull();
      expect(status.headers.get('ratelimit-policy')).toBeNull();
    });
  });

  it('applies RATE_LIMIT_PER_MINUTE to every route but the probes', async () => {
    const { last } = await attemptsUntil429(() => api.request('GET', '/api/v1/users/me'), 31);
    expect(last).toBeDefined();
    expectProblem(last!, 429);
    expect((await api.request('GET', '/api/v1/status')).status).toBe(200);
    expect((await api.request('GET', '/')).status).toBe(200);
  });
});

import { clientAt, type RequestFrom } from './support/client-address.js';
import { expectProblem } from './support/problem.js';
import type { TestApp } from './support/test-app.js';

// Behind an ingress every request comes from the proxy's address: with TRUST_PROXY naming that
// proxy, the per-client login limit counts the address it forwards instead (decision 0057).
const PROXY = '127.0.0.6';
const STRANGER = '127.0.0.7';
process.env.AUTH_RATE_LIMIT_PER_MINUTE = '3';
process.env.TRUST_PROXY = PROXY;
const { startTestApp } = await import('./support/test-app.js');

const failedLogin = (from: RequestFrom, forwardedFor?: string) =>
  from(
    'POST',
    '/api/v1/auth/login',
    { email: 'someone@example.com', password: 'not the password' },
    forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  );

async function statuses(attempt: () => ReturnType<RequestFrom>, count: number): Promise<number[]> {
  const seen: number[] = [];
  for (let i = 0; i < count; i += 1) seen.push((await attempt()).status);
  return seen;
}

describe('TRUST_PROXY', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  it('counts the login limit per forwarded client behind the trusted proxy', async () => {
    const proxy = clientAt(api.baseUrl, PROXY);
    expect(await statuses(() => failedLogin(proxy, '203.0.113.10'), 4)).toEqual([
      401, 401, 401, 429,
    ]);
    expectProblem(await failedLogin(proxy, '203.0.113.10'), 429);
    // Another client behind the same proxy has a counter of its own.
    expect((await failedLogin(proxy, '203.0.113.11')).status).toBe(401);
  });

  it('ignores X-Forwarded-For from a sender that is not the trusted proxy', async () => {
    const stranger = clientAt(api.baseUrl, STRANGER);
    // A new claimed address on every attempt does not reset the stranger's own counter.
    const seen = await statuses(
      () => failedLogin(stranger, `198.51.100.${Math.floor(Math.random() * 250)}`),
      4,
    );
    expect(seen).toEqual([401, 401, 401, 429]);
  });
});

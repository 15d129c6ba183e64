import { actingAsAdmin } from './support/auth.js';
import { expectProblem } from './support/problem.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** `{"<key>": [[[ … ]]]}`: `levels` nested arrays inside one object, written out as text. */
const nested = (key: string, levels: number, extra = ''): string =>
  `{${extra}"${key}":${'['.repeat(levels)}${']'.repeat(levels)}}`;

describe('JSON bodies nested deeper than 32 levels', () => {
  let api: TestApp;
  let asAdmin: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
    asAdmin = await actingAsAdmin(api);
  });
  afterAll(() => api.close());

  it('answers 400 on a public route, before validation walks the body', async () => {
    const reply = await api.request(
      'POST',
      '/api/v1/auth/login',
      nested('password', 2_000, '"email":"x",'),
    );
    expect(expectProblem(reply, 400).detail).toMatch(/nested deeper than 32 levels/);
  });

  it.each([
    ['POST', '/api/v1/customers'],
    ['POST', '/api/v1/products'],
    ['POST', '/api/v1/orders'],
    ['PATCH', '/api/v1/customers/01a2133f-b933-7251-a84c-455a3dae851d'],
    ['POST', '/api/v1/auth/register'],
  ])('answers 400 on %s %s', async (method, path) => {
    expectProblem(await asAdmin.request(method, path, nested('name', 2_000)), 400);
    expectProblem(await asAdmin.request(method, path, nested('name', 33)), 400);
  });

  it('counts objects and arrays alike, and ignores brackets inside strings', async () => {
    const deepObjects = `${'{"a":'.repeat(33)}1${'}'.repeat(33)}`;
    expectProblem(await api.request('POST', '/api/v1/auth/login', deepObjects), 400);
    const bracketsInAString = JSON.stringify({ email: '['.repeat(100), password: '{'.repeat(100) });
    expectProblem(await api.request('POST', '/api/v1/auth/login', bracketsInAString), 401);
  });

  it('accepts 32 levels (the body is then validated as usual)', async () => {
    const problem = expectProblem(
      await api.request('POST', '/api/v1/auth/login', nested('password', 31, '"email":"x",')),
      400,
    );
    expect(new Set(problem.errors?.map((error) => error.field))).toEqual(new Set(['password']));
  });

  it('refuses 250,000 levels without parsing them', async () => {
    const body = nested('password', 250_000, '"email":"x",');
    // The fastest of five answers: a busy machine (or another suite's leftovers in this worker)
    // can stall any one of them, hardly all five. Without the limit each took ~0.6 s, parsed and
    // walked.
    let fastestMs = Infinity;
    for (let i = 0; i < 5; i++) {
      const sentAt = performance.now();
      expectProblem(await api.request('POST', '/api/v1/auth/login', body), 400);
      fastestMs = Math.min(fastestMs, performance.now() - sentAt);
    }
    expect(fastestMs).toBeLessThan(250);
  });
});

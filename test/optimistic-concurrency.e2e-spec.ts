import { randomUUID } from 'node:crypto';
import { expectProblem } from './support/problem.js';
import { actingAsAdmin } from './support/auth.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface CustomerBody {
  id: string;
  name: string;
  version: number;
}

/** ETag / If-None-Match / If-Match on customers (products have the same rules, see their suite). */
describe('customers over HTTP with ETags', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await actingAsAdmin(await startTestApp());
  });
  afterAll(() => api.close());

  const create = async (): Promise<CustomerBody> =>
    (
      await api.request<CustomerBody>('POST', '/api/v1/customers', {
        name: 'Tagged',
        email: `tagged-${randomUUID()}@example.com`,
      })
    ).body;

  it('tags every single-customer response with its version', async () => {
    const customer = await create();
    const path = `/api/v1/customers/${customer.id}`;
    expect((await api.request('GET', path)).headers.get('etag')).toBe('"1"');
    const patched = await api.request('PATCH', path, { name: 'Renamed' });
    expect(patched.headers.get('etag')).toBe('"2"');
  });

  it('answers 304 with no body to If-None-Match with the current tag, 200 otherwise', async () => {
    const customer = await create();
    const path = `/api/v1/customers/${customer.id}`;
    const cached = await api.request('GET', path, undefined, { 'if-none-match': '"1"' });
    expect(cached.status).toBe(304);
    expect(cached.text).toBe('');
    expect(cached.headers.get('etag')).toBe('"1"');
    const stale = await api.request('GET', path, undefined, { 'if-none-match': '"7"' });
    expect(stale.status).toBe(200);
  });

  it('refuses PATCH and DELETE with a stale If-Match with 412, changing nothing', async () => {
    const customer = await create();
    const path = `/api/v1/customers/${customer.id}`;
    await api.request('PATCH', path, { name: 'Second' });
    expectProblem(await api.request('PATCH', path, { name: 'Lost' }, { 'if-match': '"1"' }), 412);
    expectProblem(await api.request('DELETE', path, undefined, { 'if-match': '"1"' }), 412);
    expectProblem(await api.request('DELETE', path, undefined, { 'if-match': 'garbage' }), 412);
    const current = await api.request<CustomerBody>('GET', path);
    expect(current.body).toMatchObject({ name: 'Second', version: 2 });
    const ok = await api.request('PATCH', path, { name: 'Third' }, { 'if-match': '"2"' });
    expect(ok.status).toBe(200);
    expect((await api.request('DELETE', path, undefined, { 'if-match': '"3"' })).status).toBe(204);
  });

  it('lets exactly one of concurrent PATCHes of the same version win; no update is lost', async () => {
    const customer = await create();
    const path = `/api/v1/customers/${customer.id}`;
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api.request<CustomerBody>('PATCH', path, { name: `writer ${i}` }, { 'if-match': '"1"' }),
      ),
    );
    const winners = replies.filter((reply) => reply.status === 200);
    expect(winners).toHaveLength(1);
    for (const loser of replies.filter((reply) => reply.status !== 200)) expectProblem(loser, 412);
    const final = await api.request<CustomerBody>('GET', path);
    expect(final.body).toMatchObject({ name: winners[0].body.name, version: 2 });
  });
});

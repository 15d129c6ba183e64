import { createKeelClient, KeelProblem, ok } from './index.js';

/** A fake Keel: answers each request with the next reply, and keeps what it was sent. */
function fakeKeel(...replies: (() => Response)[]) {
  const requests: Request[] = [];
  const fetch = (request: Request): Promise<Response> => {
    requests.push(request);
    const reply = replies.shift();
    if (!reply) throw new Error(`unexpected ${request.method} ${request.url}`);
    return Promise.resolve(reply());
  };
  return { fetch, requests };
}

const json =
  (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });

const problem = {
  type: 'https://keel.dev/problems/not-found',
  title: 'Not Found',
  status: 404,
  detail: 'No order with id 0190…',
  instance: '/api/v1/orders/x',
  requestId: 'req-1',
};

describe('the Keel client', () => {
  it('sends back the Consistency-Token of the last answer on later requests', async () => {
    const keel = fakeKeel(
      json({ status: 'UP', load: 'normal' }),
      json({ status: 'UP', load: 'normal' }, 200, { 'consistency-token': 'lsn-1' }),
      json({ status: 'UP', load: 'normal' }, 200, { 'consistency-token': 'lsn-2' }),
      json({ status: 'UP', load: 'normal' }),
    );
    const client = createKeelClient({ baseUrl: 'http://keel.test', fetch: keel.fetch });

    for (let call = 0; call < 4; call += 1) await client.GET('/api/v1/status');

    expect(keel.requests.map((request) => request.headers.get('consistency-token'))).toEqual([
      null,
      null,
      'lsn-1',
      'lsn-2',
    ]);
    expect(client.consistency.current).toBe('lsn-2');
  });

  it('starts from a token carried over, and leaves a token the caller set alone', async () => {
    const keel = fakeKeel(json({ status: 'UP', load: 'normal' }), json({}));
    const client = createKeelClient({
      baseUrl: 'http://keel.test',
      fetch: keel.fetch,
      consistencyToken: 'saved',
    });

    await client.GET('/api/v1/status');
    await client.GET('/api/v1/status', { headers: { 'Consistency-Token': 'mine' } });

    expect(keel.requests.map((request) => request.headers.get('consistency-token'))).toEqual([
      'saved',
      'mine',
    ]);
  });

  it('throws a problem document as a typed KeelProblem', async () => {
    const keel = fakeKeel(() =>
      Response.json(problem, {
        status: 404,
        headers: { 'content-type': 'application/problem+json' },
      }),
    );
    const client = createKeelClient({ baseUrl: 'http://keel.test', fetch: keel.fetch });

    const thrown: unknown = await client
      .GET('/api/v1/orders/{id}', { params: { path: { id: 'x' } } })
      .catch((error: unknown) => error);

    expect(thrown).toBeInstanceOf(KeelProblem);
    const { status, problem: document } = thrown as KeelProblem;
    expect(status).toBe(404);
    expect(document).toEqual(problem);
  });

  it('sends the access token it is given as a bearer token', async () => {
    const keel = fakeKeel(json({ status: 'UP', load: 'normal' }), json({}));
    const session: { token?: string } = {};
    const client = createKeelClient({
      baseUrl: 'http://keel.test',
      fetch: keel.fetch,
      accessToken: () => session.token,
    });

    await client.GET('/api/v1/status');
    session.token = 'abc';
    await client.GET('/api/v1/status');

    expect(keel.requests.map((request) => request.headers.get('authorization'))).toEqual([
      null,
      'Bearer abc',
    ]);
  });

  it('ok() gives the data of a success, typed', async () => {
    const keel = fakeKeel(json({ id: 'u-1', email: 'a@example.com', role: 'customer' }));
    const client = createKeelClient({ baseUrl: 'http://keel.test', fetch: keel.fetch });

    const me = await ok(client.GET('/api/v1/users/me'));

    expect(me.email).toBe('a@example.com');
  });
});

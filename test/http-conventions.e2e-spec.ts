import { expectProblem } from './support/problem.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('HTTP conventions', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  it('answers GET / with the plain-text health line', async () => {
    const reply = await api.request('GET', '/');
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(reply.text).toBe('Health Check: Operational');
  });

  it('answers GET /api/v1/status with the status and a normal load when idle', async () => {
    // Load is the event loop's p99 lag over the last second, and the app's own start (or this
    // worker's module loading on a cold cache) lags it: idle means once that second has passed.
    const deadline = Date.now() + 5_000;
    let reply = await api.request<{ load: string }>('GET', '/api/v1/status');
    while (reply.body.load !== 'normal' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      reply = await api.request<{ load: string }>('GET', '/api/v1/status');
    }
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    expect(reply.body).toEqual({ status: 'UP', load: 'normal' });
  });

  it('refuses malformed JSON with a 400 problem that does not echo the input', async () => {
    const reply = await api.request('POST', '/api/v1/customers', '{"name": "<script>', {
      'content-type': 'application/json',
    });
    expect(expectProblem(reply, 400).detail).toBe('The body is not valid JSON.');
    expect(reply.text).not.toContain('<script>');
  });

  it('refuses a body that is not JSON with 415', async () => {
    const reply = await api.request('POST', '/api/v1/customers', 'name=Ada', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expectProblem(reply, 415);
    expectProblem(
      await api.request('POST', '/api/v1/customers', 'Ada', { 'content-type': 'text/plain' }),
      415,
    );
  });

  it('refuses a body over the limit with 413', async () => {
    const reply = await api.request('POST', '/api/v1/customers', {
      name: 'x'.repeat(1_100_000),
      email: 'a@b.co',
    });
    expectProblem(reply, 413);
  });

  it('answers an unknown route with a 404 problem', async () => {
    const problem = expectProblem(await api.request('GET', '/api/v1/nothing-here'), 404);
    expect(problem.instance).toBe('/api/v1/nothing-here');
  });

  it('echoes a well-formed X-Request-Id and puts it in problems', async () => {
    const reply = await api.request('GET', '/api/v1/nothing-here', undefined, {
      'x-request-id': 'trace-123',
    });
    expect(reply.headers.get('x-request-id')).toBe('trace-123');
    expect(reply.body.requestId).toBe('trace-123');
  });

  it('replaces a malformed X-Request-Id with a generated one', async () => {
    const reply = await api.request('GET', '/', undefined, {
      'x-request-id': 'bad id with spaces',
    });
    expect(reply.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});

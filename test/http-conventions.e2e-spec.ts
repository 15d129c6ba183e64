import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
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

  describe('content negotiation (Accept)', () => {
    const products = (accept: string) =>
      api.request('GET', '/api/v1/products?limit=1', undefined, { accept });

    it.each(['application/xml', 'text/html', 'application/json;q=0, */*;q=0', 'image/*'])(
      'answers Accept: %s on a JSON route with a 406 problem, before any work',
      async (accept) => {
        const reply = await products(accept);
        expect(expectProblem(reply, 406).type).toBe('https://keel.dev/problems/not-acceptable');
      },
    );

    it.each([
      '*/*',
      'application/*',
      'application/json',
      'application/problem+json',
      'text/html, application/json;q=0.5',
      'application/xml;q=1, application/json;q=0.1',
    ])('answers Accept: %s with JSON', async (accept) => {
      const reply = await products(accept);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
    });

    it('answers a request without any Accept header with JSON', async () => {
      // fetch always sends one (`*/*`): node:http sends none unless told.
      const { status, type } = await new Promise<{ status?: number; type?: string }>(
        (done, fail) => {
          const url = new URL('/api/v1/products?limit=1', api.baseUrl);
          httpRequest(url, (response) => {
            response.resume();
            done({ status: response.statusCode, type: response.headers['content-type'] });
          })
            .once('error', fail)
            .end();
        },
      );
      expect(status).toBe(200);
      expect(type).toMatch(/^application\/json/);
    });

    it('leaves the routes that are not JSON alone: text at /, Swagger UI, probes', async () => {
      expect((await api.request('GET', '/', undefined, { accept: 'text/html' })).status).toBe(200);
      expect((await api.request('GET', '/docs', undefined, { accept: 'text/html' })).status).toBe(
        200,
      );
      const live = await api.request('GET', '/health/live', undefined, {
        accept: 'application/xml',
      });
      expect(live.status).toBe(200);
    });
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

  it('reads off a refused body, so the same connection answers the next request', async () => {
    // Fastify closed it instead, and a client still writing the body got EPIPE, not the 413.
    const answers = await exchangeOnOneSocket(
      api.baseUrl,
      `POST /api/v1/customers HTTP/1.1\r\nhost: keel\r\ncontent-type: application/json\r\n` +
        `content-length: 1100000\r\n\r\n${'x'.repeat(1_100_000)}` +
        `GET /health/live HTTP/1.1\r\nhost: keel\r\nconnection: close\r\n\r\n`,
    );
    expect(answers.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 413', 'HTTP/1.1 200']);
  });

  it('closes the connection on a body declared far over the limit instead of reading it', async () => {
    const answers = await exchangeOnOneSocket(
      api.baseUrl,
      `POST /api/v1/customers HTTP/1.1\r\nhost: keel\r\ncontent-type: application/json\r\n` +
        `content-length: ${64 * 1024 * 1024}\r\n\r\n{"name":"`,
    );
    expect(answers).toMatch(/^HTTP\/1\.1 413 /);
    expect(answers).toMatch(/^connection: close\r$/im);
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

/** Writes `request` (raw HTTP) on one connection; resolves with all it received once it closes. */
function exchangeOnOneSocket(baseUrl: string, request: string): Promise<string> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    let received = '';
    const socket = connect(Number(port), hostname, () => socket.write(request));
    socket.setTimeout(10_000, () => socket.destroy(new Error('no close within 10 s')));
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
  });
}

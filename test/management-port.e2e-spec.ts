import { createServer } from 'node:net';
import { freePort } from './support/free-port.js';
import { expectProblem } from './support/problem.js';
import { type BuiltApp, spawnApp, startBuiltApp } from './support/spawned-app.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const MACHINE_PATHS = ['/metrics', '/health/live', '/health/ready', '/health/startup'];

const get = async (url: string) => {
  const response = await fetch(url);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : text,
  };
};

/**
 * Issue 21, item 6: `/metrics` (and the probes) on a port of their own when MANAGEMENT_PORT is set,
 * as Spring Boot's management.server.port — answered 404 on the public port. Decision 0156.
 */
describe('MANAGEMENT_PORT', () => {
  describe('set (the built app in production mode)', () => {
    let app: BuiltApp;
    let management: string;
    beforeAll(async () => {
      const port = await freePort();
      management = `http://127.0.0.1:${port}`;
      app = await startBuiltApp({ MANAGEMENT_PORT: String(port), SHUTDOWN_DRAIN_DELAY_MS: '1500' });
    });
    afterAll(async () => {
      if (app.child.exitCode === null) app.child.kill('SIGKILL');
      await app.exited;
    });

    it.each(MACHINE_PATHS)('serves %s on the management port', async (path) => {
      const reply = await get(`${management}${path}`);
      expect(`${path} ${reply.status}`).toBe(`${path} 200`);
    });

    it('serves Prometheus text there', async () => {
      const reply = await get(`${management}/metrics`);
      expect(reply.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(reply.text).toContain('http_request_duration_seconds');
    });

    it.each([...MACHINE_PATHS, '/%6Detrics'])(
      'answers %s on the public port 404, as an unknown route',
      async (path) => {
        const reply = await get(`${app.base}${path}`);
        expectProblem(reply, 404);
        expect(reply.text).not.toContain('nodejs_version_info');
      },
    );

    it('serves the API and the root on the public port, and neither on the management port', async () => {
      expect((await get(`${app.base}/api/v1/products?limit=1`)).status).toBe(200);
      expect((await get(`${app.base}/`)).status).toBe(200);
      expect((await get(`${management}/api/v1/products?limit=1`)).status).toBe(404);
      expect((await get(`${management}/`)).status).toBe(404);
    });

    it('keeps answering probes while draining: readiness 503 there after SIGTERM, then exits 0', async () => {
      app.child.kill('SIGTERM');
      const deadline = Date.now() + 1500;
      let readiness = 0;
      while (Date.now() < deadline && readiness !== 503) {
        readiness = (await get(`${management}/health/ready`)).status;
      }
      expect(readiness).toBe(503);
      expect((await get(`${management}/health/live`)).status).toBe(200);
      expect((await app.exited).code).toBe(0);
    });
  });

  describe('unset', () => {
    let api: TestApp;
    beforeAll(async () => {
      api = await startTestApp();
    });
    afterAll(() => api.close());

    it.each(MACHINE_PATHS)('serves %s on the one port, as before', async (path) => {
      const reply = await api.request('GET', path);
      expect(`${path} ${reply.status}`).toBe(`${path} 200`);
    });
  });

  it('stops the start with exit code 1 naming MANAGEMENT_PORT when that port is taken', async () => {
    const holder = createServer();
    const port = await new Promise<number>((listening) =>
      holder.listen(0, '127.0.0.1', () => listening((holder.address() as { port: number }).port)),
    );
    try {
      const app = spawnApp({
        NODE_ENV: 'production',
        DATABASE_URL: process.env.DATABASE_URL,
        HOST: '127.0.0.1',
        PORT: String(await freePort()),
        MANAGEMENT_PORT: String(port),
      });
      expect((await app.exited).code).toBe(1);
      expect(app.output()).toMatch(
        new RegExp(`port ${port} is already in use .*choose another MANAGEMENT_PORT`),
      );
      expect(app.output()).not.toMatch(/\n\s+at /);
    } finally {
      holder.close();
    }
  });
});

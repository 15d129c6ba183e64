import { expectProblem } from './support/problem.js';
import { adminHeadersFor, type BuiltApp, startBuiltApp } from './support/spawned-app.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import { startTestApp, type TestApp } from './support/test-app.js';

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const startedAt = Date.now();
  while (!(await condition())) {
    if (Date.now() - startedAt > timeoutMs)
      throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
  return Date.now() - startedAt;
}

describe('health probes', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api.close());

  it.each(['/health/live', '/health/ready', '/health/startup'])(
    '%s answers 200 with status ok',
    async (path) => {
      const reply = await api.request('GET', path);
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({ status: 'ok' });
    },
  );

  it('readiness names the database check', async () => {
    const reply = await api.request<{ details: Record<string, { status: string }> }>(
      'GET',
      '/health/ready',
    );
    expect(reply.body.details.database).toMatchObject({ status: 'up' });
  });

  it('the startup probe checks the schema is at the latest migration', async () => {
    const reply = await api.request<{ details: Record<string, { status: string }> }>(
      'GET',
      '/health/startup',
    );
    expect(reply.body.details.schema).toMatchObject({ status: 'up' });
  });
});

describe('when the database goes away and comes back', () => {
  let proxy: TcpProxy;
  let app: BuiltApp;
  let base: string;

  beforeAll(async () => {
    const target = new URL(process.env.DATABASE_URL!);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const viaProxy = new URL(target);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    app = await startBuiltApp({ DATABASE_URL: viaProxy.toString() });
    base = app.base;
  });
  afterAll(async () => {
    app.child.kill('SIGKILL');
    await app.exited;
    await proxy.close();
  });

  it('readiness turns 503 within seconds, liveness stays 200, the API answers 503 problems; all recover without a restart', async () => {
    const headers = await adminHeadersFor(base);
    const ready = async (): Promise<Response> => fetch(`${base}/health/ready`);
    expect((await ready()).status).toBe(200);
    proxy.cut();
    const lostAfter = await waitFor(async () => (await ready()).status === 503, 5000);
    expect(lostAfter).toBeLessThan(5000);

    const readiness = await ready();
    expect(readiness.headers.get('retry-after')).toBeTruthy();
    const body = (await readiness.json()) as {
      error: Record<string, { status: string; message?: string }>;
    };
    expect(body.error.database).toMatchObject({ status: 'down' });
    expect(JSON.stringify(body)).not.toMatch(/ECONN|127\.0\.0\.1|:\d{4,5}/);

    expect((await fetch(`${base}/health/live`)).status).toBe(200);

    const response = await fetch(`${base}/api/v1/customers`, { headers });
    const text = await response.text();
    expectProblem(
      {
        status: response.status,
        headers: response.headers,
        body: JSON.parse(text) as Record<string, unknown>,
        text,
      },
      503,
    );
    expect(response.headers.get('retry-after')).toBeTruthy();

    proxy.restore();
    const backAfter = await waitFor(async () => (await ready()).status === 200, 10_000);
    expect(backAfter).toBeLessThan(10_000);
    expect((await fetch(`${base}/api/v1/customers`, { headers })).status).toBe(200);
    expect(app.child.exitCode).toBeNull();

    // Both changes of the answer are counted: an alert sees readiness flapping between scrapes.
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^health_readiness_changes_total 2$/m);
  }, 40_000);
});

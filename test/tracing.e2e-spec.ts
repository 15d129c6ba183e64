import { randomBytes, randomUUID } from 'node:crypto';
import { eventually } from './support/fixtures.js';
import { type IsolatedDatabase, createIsolatedDatabase } from './support/isolated-database.js';
import {
  type OtlpReceiver,
  type ReceivedSpan,
  SpanKind,
  startOtlpReceiver,
} from './support/otlp-receiver.js';
import { type BuiltApp, adminHeadersFor, startBuiltApp } from './support/spawned-app.js';
import { type TcpProxy, startTcpProxy } from './support/tcp-proxy.js';

type LogLine = Record<string, unknown>;
const hex = (bytes: number): string => randomBytes(bytes).toString('hex');
const logLines = (app: BuiltApp): LogLine[] =>
  app
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
const accessLineOf = (app: BuiltApp, requestId: string): LogLine | undefined =>
  logLines(app).find((line) => line.context === 'AccessLog' && line.reqId === requestId);

/**
 * The trace ids on the access lines of the `count` requests whose ids start with `prefix`, once
 * all of them are logged: the requests the sampler recorded.
 */
async function sampledTraceIds(app: BuiltApp, prefix: string, count: number): Promise<string[]> {
  const accessLines = (): LogLine[] =>
    logLines(app).filter(
      (line) => line.context === 'AccessLog' && String(line.reqId).startsWith(prefix),
    );
  await eventually(() => Promise.resolve(accessLines().length === count), 10_000, 'access lines');
  return accessLines()
    .map((line) => line.traceId)
    .filter((traceId): traceId is string => typeof traceId === 'string');
}

/** Every ancestor of `span` within its trace, nearest first. */
function ancestorsOf(span: ReceivedSpan, spans: ReceivedSpan[]): ReceivedSpan[] {
  const byId = new Map(spans.map((each) => [each.spanId, each]));
  const chain: ReceivedSpan[] = [];
  for (let parent = byId.get(span.parentSpanId ?? ''); parent;) {
    chain.push(parent);
    parent = byId.get(parent.parentSpanId ?? '');
  }
  return chain;
}

/**
 * The built app as production runs it (`node --import ./dist/tracing/preload.js dist/main.js`),
 * exporting over OTLP/HTTP to a collector inside the test. Its own database: its job workers must
 * process this suite's order, not another suite's.
 */
describe('tracing (OpenTelemetry) of the built app', () => {
  let receiver: OtlpReceiver;
  let database: IsolatedDatabase;
  let proxy: TcpProxy;
  let app: BuiltApp;
  let admin: Record<string, string>;

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${app.base}${path}`, {
      method: 'POST',
      headers: { ...admin, 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const spansOf = (traceId: string): ReceivedSpan[] =>
    receiver.spans().filter((span) => span.traceId === traceId);
  const serverSpanOf = (traceId: string): ReceivedSpan | undefined =>
    spansOf(traceId).find((span) => span.kind === SpanKind.SERVER);

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    database = await createIsolatedDatabase('tracing');
    const target = new URL(database.url);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    target.hostname = '127.0.0.1';
    target.port = String(proxy.port);
    app = await startBuiltApp(
      {
        DATABASE_URL: target.toString(),
        LOG_LEVEL: 'info',
        JOB_WORKERS: 'true',
        ORDER_CONFIRM_DELAY_MS: '200',
        OTEL_SERVICE_NAME: 'keel-e2e',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      // Loading the SDK adds to the start; on a busy machine 20 s is not always enough.
      { startTimeoutMs: 45_000 },
    );
    admin = await adminHeadersFor(app.base);
  }, 90_000);
  afterAll(async () => {
    app?.child.kill('SIGTERM');
    await app?.exited;
    await proxy?.close();
    await database?.drop();
    await receiver?.close();
  });

  it('checks at start that requests and pg are instrumented, and says so', () => {
    const tracing = logLines(app).filter((line) => line.context === 'Tracing');
    expect(tracing).toEqual([
      expect.objectContaining({ level: 30, msg: 'tracing on: requests and pg instrumented' }),
    ]);
  });

  it('traces an order from the request (traceparent honoured) through its SQL to the job it enqueued, linked', async () => {
    const customer = (await (
      await post('/api/v1/customers', {
        name: 'Traced',
        email: `trace-${randomUUID()}@example.com`,
      })
    ).json()) as { id: string };
    const product = (await (
      await post('/api/v1/products', {
        sku: `SKU-${randomUUID()}`,
        name: 'Traced',
        priceCents: 100,
        currency: 'EUR',
        stock: 5,
      })
    ).json()) as { id: string };
    const [traceId, callerSpanId, requestId] = [hex(16), hex(8), `order-${randomUUID()}`];
    const placed = await post(
      '/api/v1/orders',
      { customerId: customer.id, items: [{ productId: product.id, quantity: 1 }] },
      { traceparent: `00-${traceId}-${callerSpanId}-01`, 'x-request-id': requestId },
    );
    expect(placed.status).toBe(201);

    // One SERVER span, named by route template, child of the caller's span, with route and status.
    await eventually(
      () => Promise.resolve(serverSpanOf(traceId) !== undefined),
      10_000,
      'server span',
    );
    const server = serverSpanOf(traceId)!;
    expect(spansOf(traceId).filter((span) => span.kind === SpanKind.SERVER)).toHaveLength(1);
    expect(server).toMatchObject({
      name: 'POST /api/v1/orders',
      parentSpanId: callerSpanId,
      service: 'keel-e2e',
      attributes: expect.objectContaining({
        'http.route': '/api/v1/orders',
        'http.response.status_code': 201,
      }),
    });

    // A span per SQL statement, each beneath the server span.
    const statements = spansOf(traceId).filter(
      (span) => span.kind === SpanKind.CLIENT && span.attributes['db.system.name'] === 'postgresql',
    );
    const texts = statements.map((span) => String(span.attributes['db.query.text']));
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^update "products" set "stock"/),
        expect.stringMatching(/^insert into "orders"/),
        expect.stringMatching(/INSERT INTO pgboss\.job/),
      ]),
    );
    for (const statement of statements) {
      expect(ancestorsOf(statement, spansOf(traceId))).toContainEqual(server);
    }
    // Nothing else beneath the request span: no Fastify hook or handler span (decision 0147), only
    // the SQL statements (no pool connect span, decision 0223) and pg-boss's sends of the jobs it
    // enqueued.
    const beneath = spansOf(traceId).filter((span) => span !== server);
    expect(beneath.length).toBeGreaterThan(0);
    expect(beneath.map((span) => span.name)).not.toContain('pg-pool.connect');
    for (const span of beneath) {
      expect(ancestorsOf(span, spansOf(traceId))).toContainEqual(server);
      expect([
        ['@opentelemetry/instrumentation-pg', span.kind],
        ['pg-boss', SpanKind.PRODUCER],
      ]).toContainEqual([span.scope, span.kind]);
    }
    // Without the values MikroORM writes into its SQL: they stay in the database.
    expect(texts.join('\n')).not.toMatch(new RegExp(`${customer.id}|${product.id}`));

    // Later, the confirm job: a CONSUMER span in a trace of its own, linked to the request's
    // server span (or a span beneath it), with the job's SQL beneath it.
    const isConfirmJob = (span: ReceivedSpan): boolean =>
      span.kind === SpanKind.CONSUMER &&
      span.name === 'process order_confirm' &&
      span.links.some((link) => link.traceId === traceId);
    await eventually(
      () => Promise.resolve(receiver.spans().some(isConfirmJob)),
      15_000,
      'job span',
    );
    const job = receiver.spans().find(isConfirmJob)!;
    expect(job.traceId).not.toBe(traceId);
    const enqueuer = spansOf(traceId).find((span) => span.spanId === job.links[0].spanId);
    expect(enqueuer).toBeDefined();
    expect([enqueuer, ...ancestorsOf(enqueuer!, spansOf(traceId))]).toContainEqual(server);
    await eventually(
      () =>
        Promise.resolve(
          spansOf(job.traceId).some((span) =>
            /^update "orders" set "status"/.test(String(span.attributes['db.query.text'])),
          ),
        ),
      5000,
      "the job's SQL spans",
    );

    // The logs name the same traces: the access line the request's, the job's lines the job's.
    expect(accessLineOf(app, requestId)).toMatchObject({ traceId, status: 201 });
    const confirmed = logLines(app).find((line) => line.msg === 'order confirmed');
    expect(confirmed).toMatchObject({ reqId: requestId, traceId: job.traceId });
  }, 40_000);

  it('starts a trace for a request that brings none, and logs its trace id', async () => {
    const requestId = `fresh-${randomUUID()}`;
    const response = await fetch(`${app.base}/api/v1/customers/${randomUUID()}`, {
      headers: { ...admin, 'x-request-id': requestId },
    });
    expect(response.status).toBe(404);
    await eventually(
      () => Promise.resolve(accessLineOf(app, requestId) !== undefined),
      5000,
      'access line',
    );
    const { traceId } = accessLineOf(app, requestId)!;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    await eventually(
      () => Promise.resolve(serverSpanOf(String(traceId)) !== undefined),
      10_000,
      'server span',
    );
    expect(serverSpanOf(String(traceId))).toMatchObject({
      name: 'GET /api/v1/customers/:id',
      parentSpanId: undefined,
      attributes: expect.objectContaining({ 'http.response.status_code': 404 }),
    });
  });

  it('continues an incoming sampled traceparent, its SQL beneath', async () => {
    const [traceId, callerSpanId, requestId] = [hex(16), hex(8), `continued-${randomUUID()}`];
    await fetch(`${app.base}/api/v1/customers?limit=1`, {
      headers: {
        ...admin,
        'x-request-id': requestId,
        traceparent: `00-${traceId}-${callerSpanId}-01`,
        tracestate: 'caller=1',
      },
    });
    await eventually(
      () => Promise.resolve(serverSpanOf(traceId) !== undefined),
      10_000,
      'server span',
    );
    expect(serverSpanOf(traceId)).toMatchObject({
      name: 'GET /api/v1/customers',
      parentSpanId: callerSpanId,
    });
    expect(
      spansOf(traceId).some((span) => span.attributes['db.system.name'] === 'postgresql'),
    ).toBe(true);
    expect(accessLineOf(app, requestId)).toMatchObject({ traceId });
  });

  it('exports nothing for a request whose traceparent is not sampled: no span, no SQL span, no job send', async () => {
    const product = (await (
      await post('/api/v1/products', {
        sku: `SKU-${randomUUID()}`,
        name: 'Untraced',
        priceCents: 100,
        currency: 'EUR',
        stock: 5,
      })
    ).json()) as { id: string };
    const customer = (await (
      await post('/api/v1/customers', {
        name: 'Untraced',
        email: `untraced-${randomUUID()}@example.com`,
      })
    ).json()) as { id: string };
    // Spans are exported in the order they end: once a later request's span is in, the earlier
    // request's would be too. Count what the suite has received so far.
    const marker = async (): Promise<void> => {
      const requestId = `marker-${randomUUID()}`;
      await fetch(`${app.base}/api/v1/status`, { headers: { 'x-request-id': requestId } });
      await eventually(
        () => Promise.resolve(accessLineOf(app, requestId) !== undefined),
        5000,
        'access line',
      );
      const markerTrace = String(accessLineOf(app, requestId)!.traceId);
      await eventually(
        () => Promise.resolve(serverSpanOf(markerTrace) !== undefined),
        10_000,
        'marker span',
      );
    };
    await marker();
    const orderInserts = (): number =>
      receiver
        .spans()
        .filter((span) => /^insert into "orders"/.test(String(span.attributes['db.query.text'])))
        .length;
    const sends = (): number =>
      receiver.spans().filter((span) => span.kind === SpanKind.PRODUCER).length;
    const [insertsBefore, sendsBefore] = [orderInserts(), sends()];

    const [traceId, requestId] = [hex(16), `unsampled-${randomUUID()}`];
    const placed = await post(
      '/api/v1/orders',
      { customerId: customer.id, items: [{ productId: product.id, quantity: 1 }] },
      { traceparent: `00-${traceId}-${hex(8)}-00`, 'x-request-id': requestId },
    );
    expect(placed.status).toBe(201);
    await marker();

    expect(spansOf(traceId)).toEqual([]);
    expect(orderInserts()).toBe(insertsBefore);
    expect(sends()).toBe(sendsBefore);
    expect(accessLineOf(app, requestId)).not.toHaveProperty('traceId');
  }, 30_000);

  it('does not trace probes or metrics scrapes', async () => {
    await fetch(`${app.base}/health/ready`);
    await fetch(`${app.base}/metrics`);
    // Spans are exported in order: once this later request's span is in, the probes' would be too.
    const requestId = `after-probes-${randomUUID()}`;
    await fetch(`${app.base}/api/v1/status`, { headers: { 'x-request-id': requestId } });
    await eventually(
      () => Promise.resolve(accessLineOf(app, requestId) !== undefined),
      5000,
      'access line',
    );
    const { traceId } = accessLineOf(app, requestId)!;
    await eventually(
      () => Promise.resolve(serverSpanOf(String(traceId)) !== undefined),
      10_000,
      'status span',
    );
    const paths = receiver.spans().map((span) => String(span.attributes['url.path'] ?? ''));
    expect(paths.filter((path) => /^\/(health|metrics)/.test(path))).toEqual([]);
  });

  it('puts the trace id next to the request id in a 5xx problem document', async () => {
    const requestId = `outage-${randomUUID()}`;
    proxy.cut();
    try {
      const response = await fetch(`${app.base}/api/v1/customers?limit=1`, {
        headers: { ...admin, 'x-request-id': requestId },
      });
      expect(response.status).toBe(503);
      const problem = (await response.json()) as { requestId: string; traceId?: string };
      expect(problem.requestId).toBe(requestId);
      expect(problem.traceId).toMatch(/^[0-9a-f]{32}$/);
      await eventually(
        () => Promise.resolve(accessLineOf(app, requestId) !== undefined),
        5000,
        'access line',
      );
      expect(accessLineOf(app, requestId)).toMatchObject({ traceId: problem.traceId });
      await eventually(
        () => Promise.resolve(serverSpanOf(problem.traceId!) !== undefined),
        10_000,
        'server span',
      );
      expect(serverSpanOf(problem.traceId!)?.attributes['http.response.status_code']).toBe(503);
    } finally {
      proxy.restore();
    }
  }, 20_000);
});

describe('tracing with a ratio sampler', () => {
  it('records about its ratio of requests, and exports what it records', async () => {
    const receiver = await startOtlpReceiver();
    const app = await startBuiltApp(
      {
        LOG_LEVEL: 'info',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_TRACES_SAMPLER: 'traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.5',
      },
      { startTimeoutMs: 45_000 },
    );
    try {
      const requests = 200;
      const prefix = `ratio-${randomUUID()}-`;
      for (let i = 0; i < requests; i += 10) {
        await Promise.all(
          Array.from({ length: 10 }, (_, j) =>
            fetch(`${app.base}/api/v1/status`, {
              headers: { 'x-request-id': `${prefix}${i + j}` },
            }),
          ),
        );
      }
      const sampled = await sampledTraceIds(app, prefix, requests);
      // 0.5 of 200: the binomial's standard deviation is 7, these bounds are 5.7 of it.
      expect(sampled.length).toBeGreaterThan(60);
      expect(sampled.length).toBeLessThan(140);
      const exported = (): Set<string> =>
        new Set(
          receiver
            .spans()
            .filter((span) => span.kind === SpanKind.SERVER)
            .map((span) => span.traceId),
        );
      await eventually(
        () => Promise.resolve(sampled.every((traceId) => exported().has(traceId))),
        10_000,
        'sampled spans',
      );
      expect(exported().size).toBe(sampled.length);
    } finally {
      app.child.kill('SIGTERM');
      await app.exited;
      await receiver.close();
    }
  }, 90_000);
  it('records the SQL of its recorded requests only, also of requests that waited for admission', async () => {
    const receiver = await startOtlpReceiver();
    const app = await startBuiltApp(
      {
        LOG_LEVEL: 'info',
        // Two at a time: most requests wait in line and are admitted by one that leaves.
        ADMISSION_CONCURRENCY: '2',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
        OTEL_TRACES_SAMPLER_ARG: '0.3',
      },
      { startTimeoutMs: 45_000 },
    );
    try {
      const admin = await adminHeadersFor(app.base);
      const list = (headers: Record<string, string>) =>
        fetch(`${app.base}/api/v1/customers?limit=5`, { headers: { ...admin, ...headers } });
      const queriesOf = (traceId: string): number =>
        receiver
          .spans()
          .filter((span) => span.traceId === traceId && span.name.startsWith('pg.query')).length;

      // What one list request records alone: its own statements.
      const alone = hex(16);
      expect((await list({ traceparent: `00-${alone}-${hex(8)}-01` })).status).toBe(200);
      await eventually(() => Promise.resolve(queriesOf(alone) > 0), 10_000, 'the lone trace');
      const statements = queriesOf(alone);

      const prefix = `queued-${randomUUID()}-`;
      const requests = 120;
      for (let i = 0; i < requests; i += 30) {
        const answers = await Promise.all(
          Array.from({ length: 30 }, (_, j) => list({ 'x-request-id': `${prefix}${i + j}` })),
        );
        expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
      }
      const sampled = await sampledTraceIds(app, prefix, requests);
      // 0.3 of 120: the binomial's standard deviation is 5, these bounds are 4.8 of it.
      expect(sampled.length).toBeGreaterThan(11);
      expect(sampled.length).toBeLessThan(61);
      await eventually(
        () => Promise.resolve(sampled.every((traceId) => queriesOf(traceId) >= statements)),
        10_000,
        "the sampled requests' SQL",
      );
      // An unrecorded request admitted by a recorded one that left used to run on in the leaving
      // request's context: its SQL joined that trace (bench/README.md, 2026-12-07 evening).
      expect(sampled.map(queriesOf)).toEqual(sampled.map(() => statements));
      // Nor a trace of its own: every SQL span belongs to a recorded request (or the login).
      const requestTraces = new Set(
        receiver
          .spans()
          .filter((span) => span.kind === SpanKind.SERVER)
          .map((span) => span.traceId),
      );
      const strays = receiver
        .spans()
        .filter((span) => span.name.startsWith('pg.query') && !requestTraces.has(span.traceId));
      expect(strays).toEqual([]);
    } finally {
      app.child.kill('SIGTERM');
      await app.exited;
      await receiver.close();
    }
  }, 90_000);
});

describe('tracing asked for without the preload', () => {
  it('logs an error naming the missing preload at start, and serves untraced', async () => {
    const app = await startBuiltApp(
      { LOG_LEVEL: 'info', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' },
      { preload: false, startTimeoutMs: 45_000 },
    );
    try {
      const requestId = `untraced-${randomUUID()}`;
      await fetch(`${app.base}/api/v1/status`, { headers: { 'x-request-id': requestId } });
      await eventually(
        () => Promise.resolve(accessLineOf(app, requestId) !== undefined),
        5000,
        'access line',
      );
      expect(logLines(app)).toContainEqual(
        expect.objectContaining({
          level: 50,
          context: 'Tracing',
          msg: expect.stringContaining('tracing preload did not start'),
        }),
      );
      expect(accessLineOf(app, requestId)).not.toHaveProperty('traceId');
    } finally {
      app.child.kill('SIGTERM');
      await app.exited;
    }
  }, 60_000);
});

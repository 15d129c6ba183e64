// Load generator of the order rows: POST /api/v1/orders over KEEL_BENCH_CONNECTIONS keep-alive
// connections for KEEL_BENCH_SECONDS, one unit of a random product of KEEL_BENCH_PRODUCTS for
// KEEL_BENCH_CUSTOMER per request. Runs autocannon, whose per-response event carries the status
// and the latency, so the admitted answers (201 + 409) get latency percentiles of their own apart
// from shed ones (503), which wrk's Lua API cannot give (it has no per-request clock). Each 503 is
// checked to be a problem document with Retry-After. Prints one line `ORDER_JSON {...}`.
import autocannon from 'autocannon';

const env = process.env;
const url = new URL(env.KEEL_BENCH_URL);
const connections = Number(env.KEEL_BENCH_CONNECTIONS);
const seconds = Number(env.KEEL_BENCH_SECONDS);
const products = (env.KEEL_BENCH_PRODUCTS ?? '').split(',').filter(Boolean);
const customerId = env.KEEL_BENCH_CUSTOMER;
if (!customerId || products.length === 0) {
  throw new Error('KEEL_BENCH_CUSTOMER and KEEL_BENCH_PRODUCTS are required');
}

const latencies = { 201: [], 409: [], 503: [] };
const counts = {};
let malformed503 = 0;
const firstMalformed = [];

const header = (headers, name) =>
  Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];

function checkShed(status, body, _context, headers) {
  if (status !== 503) return;
  const type = String(header(headers, 'content-type') ?? '');
  let problem;
  try {
    problem = JSON.parse(body).status === 503;
  } catch {
    problem = false;
  }
  if (!type.startsWith('application/problem+json') || !header(headers, 'retry-after') || !problem) {
    malformed503 += 1;
    if (firstMalformed.length < 3) firstMalformed.push({ headers, body: body.slice(0, 300) });
  }
}

const instance = autocannon({
  url: url.origin,
  connections,
  duration: seconds,
  timeout: Number(env.KEEL_BENCH_TIMEOUT_SECONDS ?? 10),
  requests: [
    {
      method: 'POST',
      path: url.pathname,
      headers: { authorization: env.KEEL_BENCH_AUTHORIZATION, 'content-type': 'application/json' },
      setupRequest: (request) => ({
        ...request,
        body: JSON.stringify({
          customerId,
          items: [
            { productId: products[Math.floor(Math.random() * products.length)], quantity: 1 },
          ],
        }),
      }),
      onResponse: checkShed,
    },
  ],
});

instance.on('response', (_client, status, _bytes, responseTimeMs) => {
  counts[status] = (counts[status] ?? 0) + 1;
  latencies[status]?.push(responseTimeMs);
});

const result = await instance;

const percentile = (sorted, p) =>
  sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
    : null;
const summary = (values) => {
  const sorted = values.slice().sort((a, b) => a - b);
  const round = (v) => (v === null ? null : Math.round(v * 100) / 100);
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? null),
  };
};
const all = Object.values(latencies).flat();
const report = {
  durationMs: result.duration * 1000,
  counts,
  errors: result.errors,
  timeouts: result.timeouts,
  latencyMs: {
    admitted: summary([...latencies[201], ...latencies[409]]),
    shed: summary(latencies[503]),
    timed: summary(all),
  },
  malformed503,
  firstMalformed,
};
process.stdout.write(`ORDER_JSON ${JSON.stringify(report)}\n`);

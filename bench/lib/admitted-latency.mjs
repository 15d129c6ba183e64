// The latency of admitted orders inside Keel, from its own http_request_duration_seconds: from the
// moment Keel read the request (its wait in admission's line included) to the answer, which is what
// ADMISSION_MAX_WAIT_MS bounds. wrk's figure adds the time a request sat unread before that, in the
// kernel's accept queue or in a connection held after a refusal (decisions 0100, 0141).
import { setTimeout as sleep } from 'node:timers/promises';
import { httpRequest } from './http.mjs';

const ORDER_ROUTE = '/api/v1/orders';
const ANSWERED = new Set(['201', '409']);

/**
 * Keel's /metrics once its admission has nothing running or waiting (waiting at most `timeoutMs`):
 * the requests admitted before a load ended answer after it, and are part of its histogram.
 */
export async function metricsOnceAdmissionEmpty(server, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { text } = await httpRequest(`${server.url}/metrics`, { timeoutMs: 5000 });
    const gauge = (name) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
    const busy =
      gauge('http_admission_requests_running') + gauge('http_admission_requests_waiting');
    if (busy === 0 || Date.now() >= deadline) return text;
    await sleep(200);
  }
}

/**
 * From a /metrics text: cumulative counts by bucket bound (seconds) of POST /api/v1/orders
 * answered 201 or 409.
 */
export function orderDurationBuckets(text) {
  const buckets = new Map();
  for (const [, labels, value] of text.matchAll(
    /^http_request_duration_seconds_bucket\{([^}]*)\} (\S+)$/gm,
  )) {
    const label = Object.fromEntries(
      [...labels.matchAll(/(\w+)="([^"]*)"/g)].map(([, name, v]) => [name, v]),
    );
    if (label.method !== 'POST' || label.route !== ORDER_ROUTE) continue;
    if (!ANSWERED.has(label.status_code)) continue;
    const le = label.le === '+Inf' ? Infinity : Number(label.le);
    buckets.set(le, (buckets.get(le) ?? 0) + Number(value));
  }
  return buckets;
}

/**
 * The run's share of the histogram (`after` − `before`): the `q` quantile in ms, interpolated
 * within its bucket as Prometheus' histogram_quantile does, and the smallest bucket bound that holds
 * every answer (seconds; Infinity when some took longer than the largest bound).
 */
export function admittedLatency(before, after, q = 0.99) {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const counts = bounds.map((le) => after.get(le) - (before.get(le) ?? 0));
  const total = counts.at(-1) ?? 0;
  if (total === 0) return { p99Ms: null, allWithinS: null, count: 0 };
  const rank = q * total;
  const i = counts.findIndex((count) => count >= rank);
  const upper = bounds[i];
  const lower = i === 0 ? 0 : bounds[i - 1];
  const below = i === 0 ? 0 : counts[i - 1];
  const quantile =
    upper === Infinity ? lower : lower + ((upper - lower) * (rank - below)) / (counts[i] - below);
  return {
    p99Ms: Math.round(quantile * 1000),
    allWithinS: bounds[counts.findIndex((count) => count === total)],
    count: total,
  };
}

// What the rehearsal runs with, in one place. The relations between the numbers are the point:
// they are the same ones the Kubernetes manifests must respect (docs/operations.md).

const webConcurrency = Number(process.env.REHEARSAL_WEB_CONCURRENCY ?? 1);
if (!Number.isInteger(webConcurrency) || webConcurrency < 1) {
  throw new Error(`REHEARSAL_WEB_CONCURRENCY must be a whole number from 1, not ${webConcurrency}`);
}

export const SETTINGS = {
  // Each instance: readiness turns 503 at SIGTERM, it keeps serving this long, then drains.
  drainDelayMs: 3000,
  shutdownTimeoutMs: 15_000,
  // HAProxy's `option httpchk GET /health/ready`: a server is taken out after `fall` failed checks
  // `checkIntervalMs` apart, and put back after `rise` good ones. A check may take up to
  // `checkTimeoutMs`: a busy machine answers slowly, and a healthy instance must not be taken out
  // for that (the replacement's start-up alone keeps a core busy for seconds).
  checkIntervalMs: 500,
  checkTimeoutMs: 2000,
  fall: 3,
  rise: 2,
  // Orders confirm quickly so their jobs run during the rehearsal; expiry never comes.
  confirmDelayMs: 1000,
  expiryMs: 3_600_000,
  authRateLimitPerMinute: 10,
  // REHEARSAL_WEB_CONCURRENCY=2: every instance is a cluster primary with that many workers (issue
  // 25). Each worker has its own pool, so an instance's share of the connection budget is kept by
  // dividing the pool among them (docs/operations.md, "Several workers in one instance").
  webConcurrency,
  dbPoolMax: Math.max(2, Math.floor(10 / webConcurrency)),
  load: {
    // Closed-loop keep-alive clients, paced to a total rate so the 2-core machine is not saturated.
    clients: 8,
    requestsPerSecond: 150,
    requestTimeoutMs: 10_000,
    // Shares of each kind of request (they sum to 1).
    mix: { order: 0.35, replay: 0.1, readOrder: 0.2, listProducts: 0.2, status: 0.15 },
  },
  customers: 4,
  products: 5,
  productStock: 1_000_000,
  // Load before the first restart, between restarts, and after the last one.
  warmupMs: 4000,
  settleMs: 2000,
  tailMs: 4000,
  // Each worker boots the whole app: on a loaded 2-core machine an instance of N workers takes
  // about N times as long to be ready, so the bounds grow with them.
  startTimeoutMs: 90_000 * webConcurrency,
  jobsTimeoutMs: 30_000,
  // The whole run is killed after this, whatever it is doing: room for four slow starts (a loaded
  // machine has taken 80 s for one) on top of the ~2 minutes a run takes there.
  runTimeoutMs: 480_000 * webConcurrency,
};

/**
 * The load balancer must have stopped routing to an instance before that instance stops accepting:
 * a draining instance answers readiness 503 at once, so it is out after `fall` intervals; the drain
 * delay leaves a second more than that.
 */
export function assertDrainOutlastsDetection(settings = SETTINGS) {
  const detectionMs = settings.checkIntervalMs * settings.fall;
  if (settings.drainDelayMs < detectionMs + 1000) {
    throw new Error(
      `drain delay ${settings.drainDelayMs} ms must exceed HAProxy's detection time ${detectionMs} ms by 1 s`,
    );
  }
}

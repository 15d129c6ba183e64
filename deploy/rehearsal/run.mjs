// `npm run rehearse`: a rolling restart rehearsed on one machine. Two Keel instances on one
// PostgreSQL behind HAProxy take a keep-alive load of reads and keyed order placements; each
// instance in turn is replaced as a Kubernetes rolling update does it (the new one ready first,
// then SIGTERM to the old). Exits 0 only if no client saw a failure, every order and its jobs
// happened exactly once, rate limits and idempotency keys held across instances, and every
// process exited 0. See docs/operations.md.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { Haproxy } from './haproxy.mjs';
import { Instance, productionEnv } from './instances.mjs';
import { send, startLoad } from './load.mjs';
import { ROOT } from './project.mjs';
import {
  probeIdempotency,
  probeIdempotencySurvives,
  probeRateLimit,
  probeRateLimitSurvives,
} from './probes.mjs';
import { SETTINGS, assertDrainOutlastsDetection } from './settings.mjs';
import { migrateDatabase, provideDatabase } from './database.mjs';
import {
  balancerCheck,
  exitsCheck,
  jobsCheck,
  ordersCheck,
  requestsCheck,
  stockCheck,
  waitForConfirmations,
} from './verify.mjs';

const startedAt = Date.now();
const log = (line) =>
  process.stderr.write(`[rehearse +${((Date.now() - startedAt) / 1000).toFixed(1)}s] ${line}\n`);

const ADMIN = {
  email: 'rehearsal-admin@keel.dev',
  password: randomBytes(12).toString('base64url'),
};

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const state = {
  instances: [],
  haproxy: undefined,
  database: undefined,
  dir: undefined,
  phase: 'setup',
};

async function cleanup() {
  for (const instance of state.instances) instance.kill();
  await state.haproxy?.stop(1000);
  await state.database
    ?.drop()
    .catch((error) => log(`could not drop the database: ${error.message}`));
  if (state.dir && process.env.REHEARSAL_KEEP_LOGS !== '1')
    rmSync(state.dir, { recursive: true, force: true });
}

async function rehearse() {
  assertDrainOutlastsDetection();
  state.dir = mkdtempSync(join(tmpdir(), 'keel-rehearsal-'));
  if (process.env.REHEARSAL_KEEP_LOGS === '1') {
    log(`instance logs and haproxy.cfg kept in ${state.dir}`);
  }
  state.database = await provideDatabase(ROOT, log);
  log(`database ${state.database.name}; migrating it as the migration Job does`);
  await migrateDatabase(ROOT, state.database.url);

  const [s1, s2, s3, s4] = await createInstances(state.database.url);
  const haproxy = await startBalancer([s1, s2], [s3, s4]);
  const authorization = await logInAsAdmin(haproxy.base);
  const fixtures = await createFixtures(haproxy.base, authorization);

  const checks = [];
  const rateLimit = await probeRateLimit({
    base: haproxy.base,
    limit: SETTINGS.authRateLimitPerMinute,
    priorHits: 1,
  });
  checks.push(rateLimit.check);
  const keyed = await probeIdempotency({
    first: s1,
    second: s2,
    authorization,
    customerId: fixtures.customerIds[0],
    productId: fixtures.productIds[0],
  });
  checks.push(keyed.check);

  state.phase = 'warm-up';
  const load = startLoad({
    base: haproxy.base,
    settings: SETTINGS,
    fixtures,
    phase: () => state.phase,
  });
  log(
    `load: ${SETTINGS.load.clients} keep-alive clients, ~${SETTINGS.load.requestsPerSecond} req/s`,
  );
  await sleep(SETTINGS.warmupMs);
  await replace(s1, s3, haproxy, async () =>
    checks.push(await probeRateLimitSurvives({ instance: s3, ...rateLimit })),
  );
  await replace(s2, s4, haproxy);
  checks.push(await probeIdempotencySurvives({ base: haproxy.base, authorization, ...keyed }));
  state.phase = 'tail';
  await sleep(SETTINGS.tailMs);
  const results = await load.stop();
  log(`load stopped: ${results.requests} requests`);

  const orderIds = [...[...results.placed.values()].map((first) => first.orderId), keyed.orderId];
  const db = new pg.Client({ connectionString: state.database.url });
  await db.connect();
  try {
    const pending = await waitForConfirmations(db, orderIds, SETTINGS.jobsTimeoutMs);
    const servers = await haproxy.servers();
    state.phase = 'stopping';
    await Promise.all(
      [s3, s4].map((instance) => instance.terminate(SETTINGS.shutdownTimeoutMs + 5000)),
    );
    const haproxyExit = await haproxy.stop();
    checks.unshift(requestsCheck(results, state.instances));
    checks.push(
      await ordersCheck(db, results, new Set([keyed.orderId])),
      await stockCheck(db, fixtures),
      await jobsCheck(db, orderIds, state.instances, pending),
      balancerCheck(servers),
      exitsCheck(state.instances, haproxyExit),
    );
  } finally {
    await db.end();
  }
  return report(checks, results, orderIds.length);
}

/** Four instances on free ports: s1 and s2 run first, s3 and s4 are their replacements. */
async function createInstances(databaseUrl) {
  const env = productionEnv({ databaseUrl, admin: ADMIN, settings: SETTINGS });
  const instances = [];
  for (const name of ['s1', 's2', 's3', 's4']) {
    instances.push(new Instance({ name, port: await freePort(), env, logDir: state.dir }));
  }
  instances[2].replacement = instances[3].replacement = true;
  state.instances.push(...instances);
  return instances;
}

/** The first instances, ready, behind HAProxy; the replacements known to it but disabled. */
async function startBalancer(first, replacements) {
  const workers = SETTINGS.webConcurrency > 1 ? `, ${SETTINGS.webConcurrency} workers each` : '';
  log(`starting ${first.map((instance) => instance.name).join(' and ')}${workers}`);
  for (const instance of first) instance.start();
  await Promise.all(first.map((instance) => instance.waitReady(SETTINGS.startTimeoutMs)));
  state.haproxy = new Haproxy({
    dir: state.dir,
    port: await freePort(),
    settings: SETTINGS,
    servers: [...first, ...replacements].map((instance) => ({
      name: instance.name,
      port: instance.port,
      enabled: !instance.replacement,
    })),
  });
  await state.haproxy.start();
  await Promise.all(
    first.map((instance) => state.haproxy.waitForStatus(instance.name, /^UP/, 10_000)),
  );
  log(
    `haproxy on ${state.haproxy.base} routes to ${first.map((instance) => instance.name).join(' and ')}`,
  );
  return state.haproxy;
}

/**
 * One step of a Kubernetes rolling update (maxSurge 1, maxUnavailable 0): the replacement starts
 * and becomes ready, joins the balancer, then the old instance gets SIGTERM and drains.
 */
async function replace(old, replacement, haproxy, whenReady = async () => {}) {
  state.phase = `starting ${replacement.name}`;
  replacement.start();
  const readyMs = await replacement.waitReady(SETTINGS.startTimeoutMs);
  await whenReady();
  await haproxy.enable(replacement.name);
  await haproxy.waitForStatus(replacement.name, /^UP/, 10_000);
  log(`${replacement.name} ready after ${readyMs} ms and in rotation; SIGTERM to ${old.name}`);
  state.phase = `draining ${old.name}`;
  const exit = await old.terminate(SETTINGS.shutdownTimeoutMs + 5000);
  await haproxy.disable(old.name);
  log(`${old.name} exited ${exit.code ?? exit.signal} ${exit.afterSignalMs} ms after SIGTERM`);
  state.phase = `after ${old.name}`;
  await sleep(SETTINGS.settleMs);
}

/** The rehearsal's one login from this address before the rate-limit probe (it counts there). */
async function logInAsAdmin(base) {
  const login = await send(undefined, base, {
    method: 'POST',
    path: '/api/v1/auth/login',
    body: ADMIN,
    timeoutMs: 10_000,
  });
  if (login.status !== 200) throw new Error(`admin login answered ${login.status}: ${login.text}`);
  return `Bearer ${login.json.accessToken}`;
}

/** Customers and products for the load, created through the balancer like any client would. */
async function createFixtures(base, authorization) {
  const post = async (path, body) => {
    const reply = await send(undefined, base, {
      method: 'POST',
      path,
      body,
      headers: { authorization },
      timeoutMs: 10_000,
    });
    if (reply.status !== 201)
      throw new Error(`POST ${path} answered ${reply.status}: ${reply.text}`);
    return reply.json.id;
  };
  const customerIds = [];
  for (let i = 0; i < SETTINGS.customers; i++) {
    customerIds.push(
      await post('/api/v1/customers', {
        name: `Rehearsal buyer ${i}`,
        email: `buyer-${i}@rehearsal.keel.dev`,
      }),
    );
  }
  const productIds = [];
  for (let i = 0; i < SETTINGS.products; i++) {
    productIds.push(
      await post('/api/v1/products', {
        sku: `REHEARSAL-${i}`,
        name: `Rehearsal product ${i}`,
        priceCents: 500 + i,
        currency: 'EUR',
        stock: SETTINGS.productStock,
      }),
    );
  }
  return { authorization, customerIds, productIds, productStock: SETTINGS.productStock };
}

function report(checks, results, orders) {
  for (const check of checks) {
    const verdict = check.skipped ? 'skip' : check.ok ? 'ok  ' : 'FAIL';
    process.stdout.write(`${verdict} ${check.name}: ${check.detail}\n`);
  }
  const failed = checks.filter((check) => !check.ok);
  const skipped = checks.filter((check) => check.skipped);
  const instances = Object.entries(results.byInstance)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
  process.stdout.write(
    `rehearsal: ${failed.length === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - startedAt) / 1000)} s — ` +
      `${results.requests} requests (${results.failures.length} failed; by instance: ${instances}), ` +
      `${orders} orders (${results.replays.sameOrder}/${results.replays.total} replays answered the same order), ` +
      `${checks.length - failed.length - skipped.length}/${checks.length} checks passed` +
      (skipped.length > 0 ? `, ${skipped.length} skipped` : '') +
      '\n',
  );
  return failed.length === 0 ? 0 : 1;
}

const watchdog = setTimeout(() => {
  log(`still running after ${SETTINGS.runTimeoutMs} ms (during ${state.phase}): stopping`);
  void cleanup().finally(() => process.exit(1));
}, SETTINGS.runTimeoutMs);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    log(`${signal}: stopping everything`);
    void cleanup().finally(() => process.exit(1));
  });
}

rehearse()
  .catch((error) => {
    log(`rehearsal aborted during ${state.phase}: ${error.stack ?? error.message}`);
    process.stdout.write(`FAIL rehearsal: aborted during ${state.phase}: ${error.message}\n`);
    return 1;
  })
  .then(async (code) => {
    clearTimeout(watchdog);
    await cleanup();
    process.exit(code);
  });

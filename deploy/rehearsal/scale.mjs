// `npm run rehearse:scale`: the rolling-update rehearsal at scale, on one machine. A scratch
// primary that admits 40 connections, a streaming replica cloned from it with pg_basebackup and
// replaying 500 ms late, PgBouncer in transaction mode in front of both, and eight Keel instances
// with DB_POOL_MAX=20 behind HAProxy (160 pool connections for a server that admits 40). Under a
// keep-alive load of reads, write-then-read pairs and keyed orders, every instance is replaced in
// turn and the replica is stopped for 10 s. Exits 0 only if no request failed, every write was read
// back, the replica served reads, every order and job happened once and every process exited 0.
// See docs/operations.md#the-rehearsal-at-scale.
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { migrateDatabase } from './database.mjs';
import { Haproxy } from './haproxy.mjs';
import { Instance, productionEnv } from './instances.mjs';
import { send, startLoad } from './load.mjs';
import { Pgbouncer } from './pooler.mjs';
import { PostgresServer, findPostgresBin, serverOwnedFolder } from './postgres-servers.mjs';
import { ROOT } from './project.mjs';
import { SCALE_SETTINGS as SETTINGS } from './scale-settings.mjs';
import {
  connectionsCheck,
  consistencyCheck,
  processExitsCheck,
  replicaReads,
  replicaServedCheck,
} from './scale-verify.mjs';
import { assertDrainOutlastsDetection } from './settings.mjs';
import {
  balancerCheck,
  jobsCheck,
  ordersCheck,
  requestsCheck,
  stockCheck,
  waitForConfirmations,
} from './verify.mjs';
import { startReaders, startWriteThenRead } from './write-then-read.mjs';

const startedAt = Date.now();
const elapsed = () => ((Date.now() - startedAt) / 1000).toFixed(1);
const log = (line) => process.stderr.write(`[rehearse:scale +${elapsed()}s] ${line}\n`);

const ADMIN = {
  email: 'rehearsal-admin@keel.dev',
  password: randomBytes(12).toString('base64url'),
};
const DATABASE = 'keel';

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const state = {
  dir: undefined,
  primary: undefined,
  replica: undefined,
  pooler: undefined,
  haproxy: undefined,
  instances: [],
  monitor: undefined,
  phase: 'setup',
};

/** Everything this run started, whatever state it is in; idempotent. */
async function cleanup() {
  for (const instance of state.instances) instance.kill();
  await Promise.all(state.instances.map((instance) => instance.exited));
  await state.monitor?.stop();
  await state.haproxy?.stop(1000);
  await state.pooler?.stop(2000);
  for (const server of [state.replica, state.primary]) {
    await server?.stop('immediate').catch((error) => log(`${server.name}: ${error.message}`));
  }
  if (state.dir && process.env.REHEARSAL_KEEP_LOGS !== '1') {
    rmSync(state.dir, { recursive: true, force: true });
  }
}

async function rehearse() {
  assertDrainOutlastsDetection(SETTINGS);
  // Not 0700: as root, the servers run as the postgres user, who must enter it.
  state.dir = mkdtempSync(join(tmpdir(), 'keel-scale-'));
  chmodSync(state.dir, 0o755);
  serverOwnedFolder(state.dir);
  if (process.env.REHEARSAL_KEEP_LOGS === '1') log(`logs and configuration kept in ${state.dir}`);

  const { primary, replica, pooler } = await startDatabaseTier();
  const env = {
    ...productionEnv({ databaseUrl: pooler.url(DATABASE), admin: ADMIN, settings: SETTINGS }),
    DATABASE_DIRECT_URL: primary.url(DATABASE),
    DATABASE_READ_URLS: pooler.url(`${DATABASE}_replica`),
    // The clients log in once: on a machine where instance starts take minutes, the run outlasts
    // the default 10-minute access token (decision 0160), and an expired token is not a failure
    // the rehearsal is about.
    JWT_EXPIRES_IN: '1h',
  };
  const { first, replacements } = await createInstances(env);
  const haproxy = await startBalancer(first, replacements);
  const authorization = await logIn(haproxy.base, ADMIN);
  const fixtures = await createFixtures(haproxy.base, authorization);
  const reader = await registerReader(haproxy.base);

  const db = new pg.Client({ connectionString: primary.url(DATABASE) });
  // A watchdog's cleanup stops the primary under it: that is not a second failure to report.
  db.on('error', (error) => log(`check connection: ${error.message}`));
  await db.connect();
  try {
    state.monitor = watchConnections(db);
    const replicaBefore = await replicaReads(replica, DATABASE);
    state.phase = 'warm-up';
    const load = startLoad({
      base: haproxy.base,
      settings: SETTINGS,
      fixtures,
      phase: () => state.phase,
    });
    const { results } = load;
    const pairs = startWriteThenRead({
      base: haproxy.base,
      authorization,
      ...SETTINGS.writeThenRead,
      timeoutMs: SETTINGS.load.requestTimeoutMs,
      phase: () => state.phase,
    });
    const readers = startReaders({
      base: haproxy.base,
      authorization: reader,
      productIds: fixtures.productIds,
      ...SETTINGS.readers,
      timeoutMs: SETTINGS.load.requestTimeoutMs,
      phase: () => state.phase,
    });
    log(
      `load: ${SETTINGS.load.clients} keep-alive clients (~${SETTINGS.load.requestsPerSecond} req/s) ` +
        `, ${SETTINGS.writeThenRead.clients} write-then-read clients (~${SETTINGS.writeThenRead.pairsPerSecond} pairs/s), ` +
        `${SETTINGS.readers.clients} catalogue readers (~${SETTINGS.readers.requestsPerSecond} req/s)`,
    );
    await sleep(SETTINGS.warmupMs);

    let outage;
    const drains = [];
    const { surge } = SETTINGS.rollout;
    for (let i = 0; i < first.length; i += surge) {
      drains.push(
        await replace(first.slice(i, i + surge), replacements.slice(i, i + surge), haproxy),
      );
      const failures = [results, pairs.results, readers.results].map((r) => r.failures.length);
      log(`failed requests so far: ${failures.join(' + ')}`);
      // The replica goes away in the middle of the rollout, as a failover or a restart would.
      if (i === 0) outage = replicaOutage(replica, replicaBefore);
    }
    await Promise.all(drains);
    const replicaSeries = await outage;
    state.phase = 'tail';
    await sleep(SETTINGS.tailMs);
    const [, pairResults, readerResults] = await Promise.all([
      load.stop(),
      pairs.stop(),
      readers.stop(),
    ]);
    replicaSeries.end = await replicaReads(replica, DATABASE);
    const all = [results, pairResults, readerResults];
    const requests = all.reduce((sum, r) => sum + r.requests, 0);
    const failures = all.flatMap((r) => r.failures);
    log(`load stopped: ${requests} requests`);

    const orderIds = [...results.placed.values()].map((placed) => placed.orderId);
    const pending = await waitForConfirmations(db, orderIds, SETTINGS.jobsTimeoutMs);
    const servers = await haproxy.servers();
    const pools = await pooler.pools();
    state.phase = 'stopping';
    await Promise.all(
      replacements.map((instance) => instance.terminate(SETTINGS.shutdownTimeoutMs + 5000)),
    );
    const connections = await state.monitor.stop();
    const checks = [
      requestsCheck({ requests, failures }, state.instances),
      consistencyCheck(pairResults),
      replicaServedCheck(replicaSeries),
      await ordersCheck(db, results, new Set()),
      await stockCheck(db, fixtures),
      await jobsCheck(db, orderIds, state.instances, pending),
      balancerCheck(servers),
    ];
    await db.end();
    const haproxyExit = await haproxy.stop();
    const poolerExit = await pooler.stop();
    await replica.stop('fast');
    await primary.stop('fast');
    checks.push(
      connectionsCheck({
        connections,
        maxConnections: SETTINGS.primary.max_connections,
        primary,
        replica,
        pooler,
        failures,
      }),
      processExitsCheck({ instances: state.instances, haproxyExit, poolerExit, primary, replica }),
    );
    return report(checks, {
      results,
      pairResults,
      readerResults,
      requests,
      failed: failures.length,
      connections,
      pools,
      replicaSeries,
    });
  } finally {
    await db.end().catch(() => undefined);
  }
}

/** Primary (migrated), its replica, and PgBouncer in front of both. */
async function startDatabaseTier() {
  const bin = findPostgresBin();
  state.primary = new PostgresServer({
    name: 'primary',
    dir: state.dir,
    port: await freePort(),
    bin,
  });
  await state.primary.initPrimary(SETTINGS.primary);
  await state.primary.start();
  const admin = new pg.Client({ connectionString: state.primary.url('postgres') });
  await admin.connect();
  await admin.query(`create database ${DATABASE}`);
  await admin.end();
  log(
    `primary on port ${state.primary.port} (max_connections ${SETTINGS.primary.max_connections}); migrating as the migration Job does`,
  );
  await migrateDatabase(ROOT, state.primary.url(DATABASE));

  state.replica = new PostgresServer({
    name: 'replica',
    dir: state.dir,
    port: await freePort(),
    bin,
  });
  await state.replica.cloneFrom(state.primary, SETTINGS.replica);
  await state.replica.start();
  log(
    `replica on port ${state.replica.port}, streaming, replay delayed ${SETTINGS.replica.recovery_min_apply_delay}`,
  );

  state.pooler = new Pgbouncer({
    dir: state.dir,
    port: await freePort(),
    queryWaitTimeoutSeconds: SETTINGS.queryWaitTimeoutSeconds,
    databases: {
      [DATABASE]: {
        port: state.primary.port,
        dbname: DATABASE,
        poolSize: SETTINGS.primaryPoolSize,
      },
      [`${DATABASE}_replica`]: {
        port: state.replica.port,
        dbname: DATABASE,
        poolSize: SETTINGS.replicaPoolSize,
      },
    },
  });
  await state.pooler.start();
  log(
    `pgbouncer on port ${state.pooler.port}, transaction mode, ${SETTINGS.primaryPoolSize} server connections to the primary, ${SETTINGS.replicaPoolSize} to the replica`,
  );
  return state;
}

/** `instances` first ones (s1…) and as many replacements (started during the rollout). */
async function createInstances(env) {
  const make = async (index, replacement) => {
    const instance = new Instance({
      name: `s${index}`,
      port: await freePort(),
      env,
      logDir: state.dir,
    });
    instance.replacement = replacement;
    state.instances.push(instance);
    return instance;
  };
  const first = [];
  const replacements = [];
  for (let i = 1; i <= SETTINGS.instances; i++) first.push(await make(i, false));
  for (let i = 1; i <= SETTINGS.instances; i++) {
    replacements.push(await make(SETTINGS.instances + i, true));
  }
  return { first, replacements };
}

async function startBalancer(first, replacements) {
  log(`starting ${first.length} instances (DB_POOL_MAX=${SETTINGS.dbPoolMax} each)`);
  for (const instance of first) instance.start();
  const readyMs = await Promise.all(
    first.map((instance) => instance.waitReady(SETTINGS.startTimeoutMs)),
  );
  log(`all ${first.length} ready, the slowest after ${Math.max(...readyMs)} ms`);
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
    first.map((instance) => state.haproxy.waitForStatus(instance.name, /^UP/, 20_000)),
  );
  return state.haproxy;
}

/**
 * One step of the rolling update, `surge` pods at a time: the replacements start, are ready and in
 * rotation, then the old instances get SIGTERM. Resolves once the replacements serve, with a promise
 * of the old ones' drain: Kubernetes starts the next pods while the old ones are still terminating.
 */
async function replace(olds, news, haproxy) {
  const names = (instances) => instances.map((instance) => instance.name).join(', ');
  state.phase = `starting ${names(news)}`;
  for (const instance of news) instance.start();
  const readyMs = await Promise.all(
    news.map((instance) => instance.waitReady(SETTINGS.startTimeoutMs)),
  );
  for (const instance of news) await haproxy.enable(instance.name);
  await Promise.all(news.map((instance) => haproxy.waitForStatus(instance.name, /^UP/, 20_000)));
  log(
    `${names(news)} ready after ${readyMs.join(', ')} ms and in rotation; SIGTERM to ${names(olds)}`,
  );
  state.phase = `draining ${names(olds)}`;
  const drained = Promise.all(
    olds.map(async (old) => {
      const exit = await old.terminate(SETTINGS.shutdownTimeoutMs + 5000);
      await haproxy.disable(old.name);
      log(`${old.name} exited ${exit.code ?? exit.signal} ${exit.afterSignalMs} ms after SIGTERM`);
    }),
  );
  await sleep(SETTINGS.settleMs);
  return drained;
}

/** The replica stopped (fast shutdown) for `replicaStopMs`, then started; its reads sampled around it. */
async function replicaOutage(replica, before) {
  const beforeStop = await replicaReads(replica, DATABASE);
  log(`stopping the replica for ${SETTINGS.replicaStopMs / 1000} s`);
  const stoppedAt = Date.now();
  await replica.stop('fast');
  await sleep(SETTINGS.replicaStopMs);
  await replica.start();
  log(`replica started again after ${Date.now() - stoppedAt} ms`);
  return { before, beforeStop, afterStart: await replicaReads(replica, DATABASE) };
}

/** Client backends on the primary, sampled: the figure the budget is about. */
function watchConnections(db) {
  let peak = 0;
  let samples = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        const { rows } = await db.query(
          `select count(*)::int as n from pg_stat_activity where backend_type = 'client backend'`,
        );
        peak = Math.max(peak, rows[0].n);
        samples++;
      } catch (error) {
        // The check connection is gone (a cleanup stopped the primary): nothing left to watch.
        log(`connection watch stopped: ${error.message}`);
        return;
      }
      await sleep(250);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { peak, samples };
    },
  };
}

async function logIn(base, account) {
  const login = await send(undefined, base, {
    method: 'POST',
    path: '/api/v1/auth/login',
    body: account,
    timeoutMs: 60_000,
  });
  if (login.status !== 200) {
    throw new Error(`login answered ${login.status ?? login.error}: ${login.text}`);
  }
  return `Bearer ${login.json.accessToken}`;
}

/** An account that only reads the catalogue (registered like any customer). */
async function registerReader(base) {
  const account = {
    email: 'catalogue-reader@rehearsal.keel.dev',
    password: randomBytes(12).toString('base64url'),
  };
  const registered = await send(undefined, base, {
    method: 'POST',
    path: '/api/v1/auth/register',
    body: { ...account, name: 'Catalogue reader' },
    timeoutMs: 60_000,
  });
  if (registered.status !== 201) {
    throw new Error(
      `register answered ${registered.status ?? registered.error}: ${registered.text}`,
    );
  }
  return logIn(base, account);
}

async function createFixtures(base, authorization) {
  const post = async (path, body) => {
    const reply = await send(undefined, base, {
      method: 'POST',
      path,
      body,
      headers: { authorization },
      timeoutMs: 60_000,
    });
    if (reply.status !== 201)
      throw new Error(`POST ${path} answered ${reply.status ?? reply.error}: ${reply.text}`);
    return reply.json.id;
  };
  const customerIds = [];
  for (let i = 0; i < SETTINGS.customers; i++) {
    customerIds.push(
      await post('/api/v1/customers', {
        name: `Buyer ${i}`,
        email: `buyer-${i}@rehearsal.keel.dev`,
      }),
    );
  }
  const productIds = [];
  for (let i = 0; i < SETTINGS.products; i++) {
    productIds.push(
      await post('/api/v1/products', {
        sku: `SCALE-${i}`,
        name: `Scale product ${i}`,
        priceCents: 500 + i,
        currency: 'EUR',
        stock: SETTINGS.productStock,
      }),
    );
  }
  return { authorization, customerIds, productIds, productStock: SETTINGS.productStock };
}

function report(
  checks,
  { results, pairResults, readerResults, requests, failed, connections, pools, replicaSeries },
) {
  const figure = (line) => process.stdout.write(`  ${line}\n`);
  const byInstance = Object.entries(results.byInstance)
    .map(([name, count]) => `${name} ${count}`)
    .join(', ');
  figure(`requests by instance (order and read load): ${byInstance}`);
  figure(`catalogue readers: ${readerResults.requests} requests`);
  figure(
    `write-then-read: ${pairResults.pairs} pairs, ${pairResults.withToken} with a Consistency-Token, ` +
      `${pairResults.readElsewhere} read on another instance than the write`,
  );
  figure(
    `primary: peak ${connections.peak} client backends of max_connections ${SETTINGS.primary.max_connections} ` +
      `(${connections.samples} samples), for ${SETTINGS.instances} instances × DB_POOL_MAX ${SETTINGS.dbPoolMax}`,
  );
  figure(
    `pgbouncer pools at the end: ${pools
      .filter((pool) => pool.database !== 'pgbouncer')
      .map(
        (pool) =>
          `${pool.database} ${pool.sv_active + pool.sv_idle + pool.sv_used} server / ${pool.cl_active + pool.cl_waiting} client, maxwait ${pool.maxwait} s`,
      )
      .join('; ')}`,
  );
  figure(`replica reads (table scans on the replica): ${JSON.stringify(replicaSeries)}`);
  for (const check of checks) {
    process.stdout.write(`${check.ok ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}\n`);
  }
  const failedChecks = checks.filter((check) => !check.ok).length;
  process.stdout.write(
    `rehearse:scale: ${failedChecks === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - startedAt) / 1000)} s — ` +
      `${SETTINGS.instances} instances replaced, ${requests} requests, ` +
      `${results.placed.size} orders, ${checks.length - failedChecks}/${checks.length} checks passed — ${failed} failed\n`,
  );
  return failedChecks === 0 ? 0 : 1;
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

process.once('unhandledRejection', (error) => {
  log(`unexpected error during ${state.phase}: ${error?.stack ?? error}`);
  process.stdout.write(`FAIL rehearsal: unexpected error during ${state.phase}\n`);
  void cleanup().finally(() => process.exit(1));
});

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

// Keel's benchmark: Keel (NestJS + Fastify + MikroORM) against a raw Fastify + pg baseline doing the
// same work, measured with wrk on 127.0.0.1. Run it with `npm run bench` (builds first); see
// bench/README.md for what is measured and the figures.
//
// Everything it starts (PostgreSQL if embedded, the servers, wrk) it stops, also on Ctrl-C; every
// load is bounded by wrk's own -d and by a kill timer behind it.
import { spawn, spawnSync } from 'node:child_process';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BENCH = join(ROOT, 'bench');
const NODE = process.execPath;

// ---------------------------------------------------------------- settings (env overrides)

const list = (value, fallback) => (value ? value.split(',').map((s) => s.trim()) : fallback);
const SETTINGS = {
  warmupSeconds: Number(process.env.BENCH_WARMUP ?? 3),
  durationSeconds: Number(process.env.BENCH_DURATION ?? 10),
  threads: Number(process.env.BENCH_THREADS ?? 2),
  // wrk drops latencies above its timeout from the histogram (counting them as timeouts); 2 s, its
  // default, is below what 10,000 connections see here, so the bound is raised to keep p99 honest.
  wrkTimeout: process.env.BENCH_WRK_TIMEOUT ?? '10s',
  connections: list(process.env.BENCH_CONNECTIONS, ['100', '10000']).map(Number),
  routes: list(process.env.BENCH_ROUTES, ['status', 'customer', 'order']),
  // Order creation writes rows, takes stock and locks: measured at 100 connections unless asked.
  orderConnections: list(process.env.BENCH_ORDER_CONNECTIONS, ['100']).map(Number),
  // Per server: 20 products, all in EUR; most with stock for the whole run, the first
  // `orderScarceProducts` with `orderScarceStock` units, sold out early in the warm-up, so the
  // measured run also answers 409 (out of stock) and the stock is driven to exactly zero.
  orderProducts: 20,
  orderStartingStock: 1_000_000,
  orderScarceProducts: 2,
  orderScarceStock: Number(process.env.BENCH_ORDER_SCARCE_STOCK ?? 25),
  // keel: LOG_LEVEL=warn (no access lines); keel-info: the production default, one line/request.
  servers: list(process.env.BENCH_SERVERS, ['baseline', 'keel', 'keel-info']),
  customers: 10_000,
  sampleIds: 1_000,
  poolMax: Number(process.env.DB_POOL_MAX ?? 20),
  database: 'keel_bench',
  profile: process.env.BENCH_PROFILE === '1',
  out: resolve(ROOT, process.env.BENCH_OUT ?? 'bench/results/latest.json'),
};

const ROUTES = {
  status: { path: '/api/v1/status', ids: false },
  customer: { path: '/api/v1/customers', ids: true },
  // POST with a body per request (bench/wrk/order.lua); both servers write to the same tables.
  order: { path: '/api/v1/orders', ids: false, order: true },
};

const SERVERS = {
  baseline: { label: 'baseline', kind: 'baseline' },
  keel: { label: 'keel', kind: 'keel', logLevel: 'warn' },
  'keel-info': { label: 'keel (LOG_LEVEL=info)', kind: 'keel', logLevel: 'info' },
};

// Keel's customer routes need a bearer token: the bench gives Keel a secret of its own and signs an
// admin token with it (HS256, Keel's issuer and audience), as AccessTokens.issue would.
const JWT_SECRET = randomBytes(32).toString('base64url');
function adminToken() {
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({
    sub: randomUUID(),
    role: 'admin',
    cid: null,
    iat: now,
    exp: now + 3600,
    iss: 'keel',
    aud: 'keel-api',
  })}`;
  return `${body}.${createHmac('sha256', JWT_SECRET).update(body).digest('base64url')}`;
}
const AUTHORIZATION = `Bearer ${adminToken()}`;

// ---------------------------------------------------------------- bookkeeping and cleanup

const log = (line) => process.stderr.write(`[bench] ${line}\n`);
const started = {
  children: new Map(),
  embedded: undefined,
  databaseUrl: undefined,
  tmp: undefined,
};
let cleaning;

function track(child, name, output) {
  started.children.set(child.pid, { child, name, output });
  child.once('exit', () => started.children.delete(child.pid));
  return child;
}

async function stopChild(child, name, graceMs = 12_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  try {
    process.kill(child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    // What still holds it open (seen once: the baseline's close waiting on a connection).
    const sockets = spawnSync(
      'bash',
      ['-c', `ss -tnp state all | grep "pid=${child.pid}," | awk '{print $1}' | sort | uniq -c`],
      { encoding: 'utf8' },
    ).stdout;
    if (sockets) log(`${name} sockets at the deadline:\n${sockets}`);
    const output = started.children.get(child.pid)?.output;
    log(
      `${name} (pid ${child.pid}) did not stop in ${graceMs} ms: SIGKILL${output ? `\n${output.text}` : ''}`,
    );
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      /* gone already */
    }
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

function cleanup() {
  cleaning ??= (async () => {
    await Promise.all(
      [...started.children.values()].map(({ child, name }) => stopChild(child, name)),
    );
    if (started.databaseUrl) {
      const { dropDatabase } = await import('../dist/database/database-admin.js');
      await dropDatabase(started.databaseUrl, SETTINGS.database).then(
        () => log(`dropped database ${SETTINGS.database}`),
        (error) => log(`could not drop ${SETTINGS.database}: ${error.message}`),
      );
    }
    if (started.embedded) {
      await started.embedded.stop();
      log('embedded PostgreSQL stopped');
    }
    if (started.tmp) rmSync(started.tmp, { recursive: true, force: true });
  })();
  return cleaning;
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (interrupted) {
      log(`second ${signal}: killing what is left and exiting`);
      for (const { child } of started.children.values()) {
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          /* gone already */
        }
      }
      process.exit(130);
    }
    interrupted = true;
    log(`${signal}: stopping everything this run started`);
    cleanup().finally(() => process.exit(130));
  });
}
// Last resort (e.g. an uncaught error path that skipped cleanup): never leave a child behind.
process.on('exit', () => {
  for (const { child } of started.children.values()) {
    try {
      process.kill(child.pid, 'SIGKILL');
    } catch {
      /* gone already */
    }
  }
});

// ---------------------------------------------------------------- helpers

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

const hardFdLimit = () => {
  const raw = spawnSync('bash', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim();
  return raw === 'unlimited' ? 1_048_576 : Number(raw);
};

/** Runs `command args` under bash with the soft fd limit raised to `fdLimit`, exec'd (same PID). */
function spawnWithFdLimit(fdLimit, command, args, options) {
  return spawn('bash', ['-c', `ulimit -n ${fdLimit} && exec "$0" "$@"`, command, ...args], options);
}

/** Keeps the last `max` characters a stream wrote, for error messages. */
function tail(stream, max = 8_000) {
  const kept = { text: '' };
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk) => {
    kept.text = (kept.text + chunk).slice(-max);
  });
  return kept;
}

function run(command, args, env, timeoutMs = 120_000) {
  return new Promise((done, fail) => {
    const child = track(
      spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }),
      command,
    );
    const out = tail(child.stdout);
    const err = tail(child.stderr);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) done(out.text);
      else
        fail(
          new Error(
            `${command} ${args.join(' ')} failed (${code ?? signal}):\n${err.text}${out.text}`,
          ),
        );
    });
  });
}

const CLOCK_TICKS =
  Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

function procStatus(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return { rssKb: 0, hwmKb: 0 };
  }
}

/** User + system CPU seconds the process has used so far. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime
  } catch {
    return 0;
  }
}

/** Machine-wide CPU jiffies (busy, total) from /proc/stat. */
function machineCpu() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const values = fields.map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  return { busy: total - values[3] - (values[4] ?? 0), total };
}
const busyPercent = (from, to) =>
  Math.round(((to.busy - from.busy) / Math.max(1, to.total - from.total)) * 100);

/**
 * This machine is shared: before a load, waits (at most 15 s) for a second in which under 15% of
 * it is busy, and reports how busy it was, so a disturbed row can be told apart.
 */
async function waitQuietMachine() {
  let busy = 100;
  for (let attempt = 0; attempt < 15 && busy >= 15; attempt += 1) {
    const from = machineCpu();
    await sleep(1000);
    busy = busyPercent(from, machineCpu());
  }
  if (busy >= 15) log(`machine still ${busy}% busy before the load (other work running?)`);
  return busy;
}

/** Polls VmRSS every 100 ms until stopped; returns the peak seen (kB). */
function sampleRss(pid) {
  let peak = procStatus(pid).rssKb;
  const timer = setInterval(() => {
    peak = Math.max(peak, procStatus(pid).rssKb);
  }, 100);
  return () => {
    clearInterval(timer);
    const now = procStatus(pid);
    return { peakRssKb: Math.max(peak, now.rssKb), hwmKb: now.hwmKb };
  };
}

/** Waits (at most `timeoutMs`) until the process uses under 5% of a CPU over two 250 ms windows. */
async function waitIdle(server, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  let last = cpuSeconds(server.pid);
  while (Date.now() < deadline && quiet < 2) {
    await sleep(250);
    const now = cpuSeconds(server.pid);
    quiet = now - last < 0.0125 ? quiet + 1 : 0;
    last = now;
  }
  if (quiet < 2) log(`${server.name} still busy after ${timeoutMs} ms; measuring anyway`);
}

async function waitReady(server, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(
        `${server.name} exited during start:\n${server.stderr.text}${server.stdout.text}`,
      );
    }
    try {
      const response = await fetch(`${server.url}/api/v1/status`, {
        signal: AbortSignal.timeout(1000),
      });
      if (response.ok) return;
    } catch {
      /* not listening yet */
    }
    await sleep(100);
  }
  throw new Error(
    `${server.name} not ready within ${timeoutMs} ms:\n${server.stderr.text}${server.stdout.text}`,
  );
}

// ---------------------------------------------------------------- database

async function prepareDatabase() {
  const { createDatabaseIfMissing, dropDatabase, withDatabase } =
    await import('../dist/database/database-admin.js');
  let serverUrl = process.env.DATABASE_URL;
  let source = 'DATABASE_URL';
  if (!serverUrl) {
    const { startEmbeddedDatabase } =
      await import('../dist/database/embedded/embedded-database.js');
    const dataDir = join(ROOT, '.data/bench-postgres');
    log(`starting embedded PostgreSQL under ${dataDir}`);
    started.embedded = await startEmbeddedDatabase(dataDir);
    serverUrl = started.embedded.serverUrl;
    source = 'embedded (.data/bench-postgres)';
  }
  await dropDatabase(serverUrl, SETTINGS.database);
  await createDatabaseIfMissing(serverUrl, SETTINGS.database);
  started.databaseUrl = serverUrl;
  const url = withDatabase(serverUrl, SETTINGS.database);

  log('applying migrations (dist/database/cli/migrate.js)');
  await run(NODE, ['dist/database/cli/migrate.js'], {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: url,
    JWT_SECRET,
  });

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const t0 = Date.now();
    await client.query(
      `insert into customers (id, name, email, phone, created_at, updated_at, version)
       select gen_random_uuid(),
              'Customer ' || g,
              'customer' || g || '@example.com',
              case when g % 3 = 0 then null else '+1 555 ' || lpad(g::text, 7, '0') end,
              now() - make_interval(secs => g),
              now() - make_interval(secs => g / 2),
              1 + g % 4
       from generate_series(1, $1::int) as g`,
      [SETTINGS.customers],
    );
    await client.query('analyze customers');
    const { rows } = await client.query('select id from customers order by random() limit $1', [
      SETTINGS.sampleIds,
    ]);
    // The order row: each server gets a buyer and products of its own, so that its stock check
    // after the load depends on its orders only (the servers never share a product row).
    const order = {};
    for (const key of SETTINGS.servers) {
      const buyer = (
        await client.query(
          `insert into customers (id, name, email, created_at, updated_at, version)
           values (gen_random_uuid(), $1, $2, now(), now(), 1) returning id`,
          [`Bench buyer (${key})`, `bench-buyer-${key}@example.com`],
        )
      ).rows[0].id;
      const { rows: products } = await client.query(
        `insert into products (id, sku, name, price_cents, currency, stock, active, created_at, updated_at, version)
         select gen_random_uuid(), 'BENCH-' || $5 || '-' || g, 'Bench product ' || g, 100 * g, 'EUR',
                case when g <= $3::int then $4::int else $2::int end, true, now(), now(), 1
         from generate_series(1, $1::int) as g order by g returning id, stock`,
        [
          SETTINGS.orderProducts,
          SETTINGS.orderStartingStock,
          SETTINGS.orderScarceProducts,
          SETTINGS.orderScarceStock,
          key,
        ],
      );
      order[key] = {
        customerId: buyer,
        productIds: products.map((row) => row.id),
        startingStock: Object.fromEntries(products.map((row) => [row.id, row.stock])),
      };
    }
    await client.query('analyze products');
    const version = (await client.query('show server_version')).rows[0].server_version;
    const maxConnections = (await client.query('show max_connections')).rows[0].max_connections;
    log(`inserted ${SETTINGS.customers} customers in ${Date.now() - t0} ms; PostgreSQL ${version}`);
    return {
      url,
      source,
      version,
      maxConnections,
      ids: rows.map((row) => row.id),
      order,
    };
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------- servers

async function startServer(key, databaseUrl, fdLimit) {
  const spec = SERVERS[key];
  const port = await freePort();
  const common = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    DB_POOL_MAX: String(SETTINGS.poolMax),
  };
  // BENCH_PROFILE=1: V8 CPU profile of each server, written when it exits (bench/README.md).
  const profile = SETTINGS.profile
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${join(BENCH, 'results/profiles')}`,
        `--cpu-prof-name=${key}.${Date.now()}.cpuprofile`,
      ]
    : [];
  let args;
  let env;
  if (spec.kind === 'baseline') {
    args = [...profile, join(BENCH, 'baseline/server.mjs')];
    env = { ...common, BASELINE_JWT_SECRET: JWT_SECRET };
  } else {
    args = [...profile, join(ROOT, 'dist/main.js')];
    env = {
      ...common,
      NODE_ENV: 'production',
      LOG_LEVEL: spec.logLevel,
      JWT_SECRET,
      // The defaults, stated: no global rate limit (it would turn the load into 429s).
      RATE_LIMIT_PER_MINUTE: '0',
      CORS_ORIGINS: '',
      // Only so the bench stops quickly; the drain delay is for load balancers.
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      SHUTDOWN_TIMEOUT_MS: '10000',
      // Orders enqueue their confirm job but no worker competes with the measured requests.
      JOB_WORKERS: 'false',
      ORDER_CONFIRM_DELAY_MS: '3600000',
    };
  }
  // keel-info's access log goes to /dev/null: its cost here is building and serialising the lines,
  // not a consumer reading them.
  const stdout = spec.logLevel === 'info' ? 'ignore' : 'pipe';
  const t0 = Date.now();
  const child = track(
    spawnWithFdLimit(fdLimit, NODE, args, { cwd: ROOT, env, stdio: ['ignore', stdout, 'pipe'] }),
    key,
  );
  const server = {
    key,
    name: spec.label,
    child,
    pid: child.pid,
    url: `http://127.0.0.1:${port}`,
    stdout: tail(child.stdout),
    stderr: tail(child.stderr),
  };
  started.children.get(child.pid).output = server.stderr;
  await waitReady(server);
  server.readyMs = Date.now() - t0;
  log(`${spec.label} ready on ${server.url} (pid ${child.pid}) in ${server.readyMs} ms`);
  return server;
}

/** Both servers must give the same answers before their speed means anything. */
async function checkSameAnswers(servers, ids) {
  const get = async (server, path) => {
    const response = await fetch(server.url + path, { headers: { authorization: AUTHORIZATION } });
    return { status: response.status, body: await response.json() };
  };
  const [reference, ...others] = servers;
  for (const path of [
    '/api/v1/status',
    ...ids.slice(0, 5).map((id) => `/api/v1/customers/${id}`),
  ]) {
    const expected = await get(reference, path);
    if (expected.status !== 200) throw new Error(`${reference.name} ${path}: ${expected.status}`);
    for (const other of others) {
      const actual = await get(other, path);
      if (actual.status !== 200 || !isDeepStrictEqual(actual.body, expected.body)) {
        throw new Error(
          `${other.name} and ${reference.name} differ on ${path}:\n${JSON.stringify(actual)}\n${JSON.stringify(expected)}`,
        );
      }
    }
  }
  const missing = '/api/v1/customers/00000000-0000-4000-8000-000000000000';
  for (const server of servers) {
    const { status } = await get(server, missing);
    if (status !== 404) throw new Error(`${server.name} ${missing}: ${status}, expected 404`);
  }
  for (const server of servers) {
    const response = await fetch(`${server.url}/api/v1/customers/${ids[0]}`);
    await response.arrayBuffer();
    if (response.status !== 401)
      throw new Error(`${server.name} without a token: ${response.status}, expected 401`);
  }
  log('answers agree (status, 5 customers, 404 for an unknown id, 401 without a token)');
}

// ---------------------------------------------------------------- wrk

function wrkVersion() {
  const result = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  if (result.error) return undefined;
  return (result.stdout + result.stderr).split('\n')[0].trim();
}

function runWrk({ url, connections, seconds, idsFile, order, fdLimit }) {
  const args = [
    // The customer and order routes need the token; status is public and gets none.
    ...(idsFile || order ? ['-H', `Authorization: ${AUTHORIZATION}`] : []),
    `-t${Math.min(SETTINGS.threads, connections)}`,
    `-c${connections}`,
    `-d${seconds}s`,
    `--timeout`,
    SETTINGS.wrkTimeout,
    '--latency',
    '-s',
    join(BENCH, order ? 'wrk/order.lua' : 'wrk/report.lua'),
    url,
  ];
  const env = {
    ...process.env,
    KEEL_BENCH_IDS: idsFile ?? '',
    KEEL_BENCH_REPORT_LUA: join(BENCH, 'wrk/report.lua'),
    KEEL_BENCH_CUSTOMER: order?.customerId ?? '',
    KEEL_BENCH_PRODUCTS: order?.productIds.join(',') ?? '',
  };
  return new Promise((done, fail) => {
    const child = track(
      spawnWithFdLimit(fdLimit, 'wrk', args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }),
      'wrk',
    );
    const out = tail(child.stdout, 64_000);
    const err = tail(child.stderr);
    // wrk stops itself after -d; this only catches a wrk that hangs (e.g. on 10k connects).
    const guard = setTimeout(
      () => {
        log(`wrk (pid ${child.pid}) overran ${seconds}s by 30 s: SIGKILL`);
        try {
          process.kill(child.pid, 'SIGKILL');
        } catch {
          /* gone already */
        }
      },
      (seconds + 30) * 1000,
    );
    child.once('exit', (code, signal) => {
      clearTimeout(guard);
      const line = out.text.split('\n').find((l) => l.startsWith('WRK_JSON '));
      if (code !== 0 || !line) {
        fail(new Error(`wrk failed (${code ?? signal}):\n${err.text}${out.text}`));
        return;
      }
      done({
        ...JSON.parse(line.slice('WRK_JSON '.length)),
        text: out.text.replace(line, '').trim(),
      });
    });
  });
}

async function measure(server, route, connections, idsFile, fdLimit, order) {
  const url = server.url + ROUTES[route].path;
  const machineBusyBeforePercent = await waitQuietMachine();
  const stopSampling = sampleRss(server.pid);
  const warmup = await runWrk({
    url,
    connections,
    seconds: SETTINGS.warmupSeconds,
    idsFile,
    order,
    fdLimit,
  });
  const cpuBefore = cpuSeconds(server.pid);
  const machineBefore = machineCpu();
  const wrk = await runWrk({
    url,
    connections,
    seconds: SETTINGS.durationSeconds,
    idsFile,
    order,
    fdLimit,
  });
  const cpu = cpuSeconds(server.pid) - cpuBefore;
  const machineBusyPercent = busyPercent(machineBefore, machineCpu());
  const memory = stopSampling();
  const heap = await heapOf(server);
  const seconds = wrk.durationUs / 1e6;
  return {
    route,
    connections,
    server: server.key,
    label: server.name,
    rps: wrk.rps,
    requests: wrk.requests,
    seconds,
    latencyMs: Object.fromEntries(
      Object.entries(wrk.latencyUs).map(([k, v]) => [k, Math.round(v / 10) / 100]),
    ),
    socketErrors: {
      connect: wrk.errors.connect,
      read: wrk.errors.read,
      write: wrk.errors.write,
      timeout: wrk.errors.timeout,
    },
    non2xx: wrk.errors.status,
    // Order rows: answers by status (409 = out of stock, a valid answer) and the warm-up's, for the
    // count of orders placed; answeredRps (201 + 409 per second) is what the ratio compares.
    ...(wrk.answers
      ? {
          answers: wrk.answers,
          warmupAnswers: warmup.answers,
          answeredRps: (wrk.answers['201'] + wrk.answers['409']) / seconds,
          otherNon2xx: wrk.errors.status - wrk.answers['409'],
        }
      : {}),
    peakRssMb: Math.round(memory.peakRssKb / 102.4) / 10,
    lifetimePeakRssMb: Math.round(memory.hwmKb / 102.4) / 10,
    ...(heap ? { heapAfterRunMb: heap } : {}),
    serverCpuSeconds: Math.round(cpu * 100) / 100,
    serverCpuPercent: Math.round((cpu / seconds) * 100),
    machineBusyBeforePercent,
    machineBusyPercent,
    serverCpuUsPerRequest: wrk.requests ? Math.round((cpu * 1e6) / wrk.requests) : null,
    wrkText: wrk.text,
  };
}

/** Keel's V8 heap right after a run, from its own /metrics (prom-client); none for the baseline. */
async function heapOf(server) {
  if (SERVERS[server.key].kind !== 'keel') return undefined;
  try {
    const text = await (
      await fetch(`${server.url}/metrics`, { signal: AbortSignal.timeout(5000) })
    ).text();
    const mb = (name) => {
      const value = new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1];
      return value === undefined ? undefined : Math.round(Number(value) / 104857.6) / 10;
    };
    return { used: mb('nodejs_heap_size_used_bytes'), total: mb('nodejs_heap_size_total_bytes') };
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- report

/** What the ratio compares: completed responses per second; for orders, 201 + 409 per second. */
const ratePerSecond = (r) => r.answeredRps ?? r.rps;

function formatTable(head, rows) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const fmt = (cells) =>
    `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  return [
    fmt(head),
    `|${widths.map((w, i) => (i < 2 ? ':' : '-') + '-'.repeat(w) + (i < 2 ? '-' : ':')).join('|')}|`,
    ...rows.map(fmt),
  ].join('\n');
}

/** The order rows' answers: 201 and 409 counted by order.lua, other non-2xx apart. */
function orderTable(results) {
  const rows = results
    .filter((r) => r.answers)
    .map((r) => {
      const base = results.find(
        (b) => b.server === 'baseline' && b.route === r.route && b.connections === r.connections,
      );
      return [
        `${r.route} @${r.connections}`,
        r.label,
        r.answeredRps.toFixed(0),
        String(r.answers['201']),
        String(r.answers['409']),
        String(r.otherNon2xx),
        `${r.warmupAnswers['201']}/${r.warmupAnswers['409']}`,
        base && r.server !== 'baseline' ? `${(r.answeredRps / base.answeredRps).toFixed(2)}×` : '',
      ];
    });
  return formatTable(
    [
      'row',
      'server',
      '(201+409)/s',
      '201',
      '409',
      'other non-2xx',
      'warm-up 201/409',
      'vs baseline',
    ],
    rows,
  );
}

function table(results) {
  const head = [
    'row',
    'server',
    'req/s',
    'p50 ms',
    'p99 ms',
    'sock err c/r/w/t',
    'non-2xx',
    'peak RSS MB',
    'CPU µs/req',
    'vs baseline',
  ];
  const rows = results.map((r) => {
    const base = results.find(
      (b) => b.server === 'baseline' && b.route === r.route && b.connections === r.connections,
    );
    const e = r.socketErrors;
    return [
      `${r.route} @${r.connections}`,
      r.label,
      r.rps.toFixed(0),
      r.latencyMs.p50.toFixed(2),
      r.latencyMs.p99.toFixed(2),
      `${e.connect}/${e.read}/${e.write}/${e.timeout}`,
      String(r.non2xx),
      r.peakRssMb.toFixed(1),
      String(r.serverCpuUsPerRequest),
      base && r.server !== 'baseline'
        ? `${(ratePerSecond(r) / ratePerSecond(base)).toFixed(2)}×`
        : '',
    ];
  });
  return formatTable(head, rows);
}

/** As Prettier would write it, so `npm run lint` (prettier --check .) passes with results present. */
async function formatJson(value) {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(SETTINGS.out)) ?? {};
    return await prettier.format(text, { ...options, parser: 'json' });
  } catch {
    return text;
  }
}

// ---------------------------------------------------------------- main

/**
 * Before the load, each server (on its own products) must answer an order as the other does: 201
 * with the order (same fields, price and total), a 409 problem+json for one unit more than a scarce
 * product has (nothing taken), and 401 without a token. Returns the 201s it answered, per server.
 */
async function checkOrderAnswers(servers, orders) {
  const post = async (server, body, authorization = AUTHORIZATION) => {
    const response = await fetch(`${server.url}/api/v1/orders`, {
      method: 'POST',
      headers: {
        ...(authorization ? { authorization } : {}),
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      type: response.headers.get('content-type')?.split(';')[0],
      location: response.headers.get('location'),
      body: text ? JSON.parse(text) : undefined,
    };
  };
  const placed = {};
  const seen = [];
  for (const server of servers) {
    const { customerId, productIds } = orders[server.key];
    const productId = productIds.at(-1); // plentiful, price 100 × orderProducts cents
    const price = 100 * SETTINGS.orderProducts;
    const ok = await post(server, { customerId, items: [{ productId, quantity: 1 }] });
    const { id, createdAt, updatedAt, ...rest } = ok.body ?? {};
    const expected = {
      customerId,
      status: 'pending',
      items: [{ productId, quantity: 1, unitPriceCents: price }],
      totalCents: price,
      currency: 'EUR',
      version: 1,
    };
    if (
      ok.status !== 201 ||
      ok.location !== `/api/v1/orders/${id}` ||
      !isDeepStrictEqual(rest, expected) ||
      Number.isNaN(Date.parse(createdAt)) ||
      Number.isNaN(Date.parse(updatedAt))
    ) {
      throw new Error(`${server.name} POST /api/v1/orders: ${JSON.stringify(ok)}`);
    }
    placed[server.key] = 1;
    // One unit more than a scarce product has (Keel accepts at most 10,000 per line).
    const tooMany = SETTINGS.orderScarceStock + 1;
    const short = await post(server, {
      customerId,
      items: [{ productId: productIds[0], quantity: tooMany }],
    });
    const { requestId, ...problem } = short.body ?? {};
    const expectedProblem = {
      type: 'https://keel.dev/problems/conflict',
      title: 'Conflict',
      status: 409,
      detail: `Product ${productIds[0]} (Bench product 1) does not have ${tooMany} units in stock.`,
      instance: '/api/v1/orders',
    };
    if (
      short.status !== 409 ||
      short.type !== 'application/problem+json' ||
      typeof requestId !== 'string' ||
      !isDeepStrictEqual(problem, expectedProblem)
    ) {
      throw new Error(`${server.name} POST /api/v1/orders out of stock: ${JSON.stringify(short)}`);
    }
    const anonymous = await post(server, { customerId, items: [{ productId, quantity: 1 }] }, '');
    if (anonymous.status !== 401) {
      throw new Error(`${server.name} POST /api/v1/orders without a token: ${anonymous.status}`);
    }
    seen.push({ key: Object.keys(ok.body).join(), problem: Object.keys(short.body).join() });
  }
  if (seen.some((s) => !isDeepStrictEqual(s, seen[0]))) {
    throw new Error(`the servers' order answers have different fields: ${JSON.stringify(seen)}`);
  }
  log('order answers agree (201 with the order, 409 problem when short, 401 without a token)');
  return placed;
}

/**
 * After a server's order rows, on its own products and buyer: no product below zero; for each,
 * starting stock − stock = units in its order_items; one order per unit (each request is 1 unit);
 * and as many orders as the 201s counted (the check's, warm-up's and measured ones). wrk stops on
 * time with requests in flight, which may still commit unseen: orders − 201s may be above 0, at most
 * the connections of the runs; below 0 (a 201 without its order) fails.
 */
async function checkNothingOversold(db, server, seen201, inFlightBound) {
  const { customerId, productIds, startingStock } = db.order[server.key];
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    const { rows } = await client.query(
      `select p.id, p.name, p.stock, coalesce(sum(i.quantity), 0)::int as ordered,
              count(i.id)::int as lines
       from products p left join order_items i on i.product_id = p.id
       where p.id = any($1::uuid[]) group by p.id order by p.name`,
      [productIds],
    );
    const products = rows.map((row) => ({
      id: row.id,
      name: row.name,
      startingStock: startingStock[row.id],
      stock: row.stock,
      unitsOrdered: row.ordered,
      ok: row.stock >= 0 && startingStock[row.id] - row.stock === row.ordered,
    }));
    const count = async (sql) => Number((await client.query(sql, [customerId])).rows[0].count);
    const orders = await count('select count(*) from orders where customer_id = $1');
    const ordersWithoutItems = await count(
      `select count(*) from orders o where customer_id = $1
       and not exists (select 1 from order_items i where i.order_id = o.id)`,
    );
    const unitsOrdered = products.reduce((sum, p) => sum + p.unitsOrdered, 0);
    const negative = products.filter((p) => p.stock < 0);
    const arithmetic = products.filter((p) => !p.ok);
    const unseen = orders - seen201;
    const checks = {
      stockNonNegative: negative.length === 0,
      stockTakenEqualsUnitsOrdered:
        arithmetic.length === 0 && products.length === productIds.length,
      oneOrderPerUnit: orders === unitsOrdered && ordersWithoutItems === 0,
      every201HasAnOrder: unseen >= 0,
    };
    return {
      server: server.key,
      ok: Object.values(checks).every(Boolean),
      checks,
      orders,
      unitsOrdered,
      seen201,
      ordersNotSeenAs201: unseen,
      inFlightBound,
      withinInFlightBound: unseen >= 0 && unseen <= inFlightBound,
      scarce: products
        .filter((p) => p.startingStock === SETTINGS.orderScarceStock)
        .map((p) => `${p.name}: ${p.startingStock} → ${p.stock}`),
      problems: [...new Set([...negative, ...arithmetic])],
    };
  } finally {
    await client.end();
  }
}

function describeStockCheck(c) {
  const mark = (ok) => (ok ? 'ok' : 'FAILED');
  return [
    `${c.server}: ${c.ok ? 'nothing oversold' : 'OVERSOLD / INCONSISTENT'} — ${c.orders} orders, ${c.unitsOrdered} units in order_items`,
    `  stock >= 0 for all ${SETTINGS.orderProducts} products: ${mark(c.checks.stockNonNegative)}`,
    `  starting stock - stock = units ordered, per product: ${mark(c.checks.stockTakenEqualsUnitsOrdered)}`,
    `  orders = units (1 unit per order): ${mark(c.checks.oneOrderPerUnit)}`,
    `  201s counted by wrk + check: ${c.seen201}; orders - 201s = ${c.ordersNotSeenAs201} (in flight when wrk stopped; bound ${c.inFlightBound}${c.withinInFlightBound ? '' : ', EXCEEDED'}): ${mark(c.checks.every201HasAnOrder)}`,
    `  scarce products: ${c.scarce.join(', ')}`,
    ...c.problems.map(
      (p) => `  ${p.name} (${p.id}): ${p.startingStock} - ${p.stock} != ${p.unitsOrdered}`,
    ),
  ].join('\n');
}

async function main() {
  const t0 = Date.now();
  if (!existsSync(join(ROOT, 'dist/main.js')))
    throw new Error('dist/main.js missing: run `npm run bench` (it builds first)');
  const wrk = wrkVersion();
  if (!wrk) throw new Error('wrk not found on PATH (Debian: apt-get install -y wrk)');
  const hardLimit = hardFdLimit();
  const fdLimit = Math.min(65_535, hardLimit);
  const maxConnections = Math.max(...SETTINGS.connections);
  if (fdLimit < maxConnections + 1_000) {
    throw new Error(`fd hard limit ${hardLimit} is too low for ${maxConnections} connections`);
  }
  log(`fd limit for wrk and servers: ${fdLimit} (hard limit ${hardLimit}); ${wrk}`);

  const db = await prepareDatabase();
  started.tmp = mkdtempSync(join(tmpdir(), 'keel-bench-'));
  const idsFile = join(started.tmp, 'ids.txt');
  writeFileSync(idsFile, `${db.ids.join('\n')}\n`);

  const servers = [];
  for (const key of SETTINGS.servers) servers.push(await startServer(key, db.url, fdLimit));
  await checkSameAnswers(servers, db.ids);

  const results = [];
  const placedByCheck = SETTINGS.routes.includes('order')
    ? await checkOrderAnswers(servers, db.order)
    : {};

  for (const route of SETTINGS.routes) {
    const rowConnections = ROUTES[route].order ? SETTINGS.orderConnections : SETTINGS.connections;
    for (const connections of rowConnections) {
      for (const server of servers) {
        if (interrupted) return;
        // The previous load may leave thousands of requests in flight when wrk exits (wrk stops on
        // time, not on answers): wait until every server has worked through them and gone quiet.
        await sleep(500);
        for (const other of servers) await waitIdle(other);
        log(
          `${route} @${connections} → ${server.name}: ${SETTINGS.warmupSeconds}s warm-up + ${SETTINGS.durationSeconds}s`,
        );
        const result = await measure(
          server,
          route,
          connections,
          ROUTES[route].ids ? idsFile : undefined,
          fdLimit,
          ROUTES[route].order ? db.order[server.key] : undefined,
        );
        results.push(result);
        const e = result.socketErrors;
        log(
          `   ${result.rps.toFixed(0)} req/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, ` +
            `errors c/r/w/t ${e.connect}/${e.read}/${e.write}/${e.timeout}, non-2xx ${result.non2xx}, ` +
            `peak RSS ${result.peakRssMb} MB, server CPU ${result.serverCpuPercent}%` +
            (result.heapAfterRunMb
              ? `, heap after ${result.heapAfterRunMb.used}/${result.heapAfterRunMb.total} MB`
              : ''),
        );
      }
    }
  }

  // Each server's orders were placed on its own products: one independent check per server.
  const stockChecks = [];
  if (SETTINGS.routes.includes('order')) {
    for (const server of servers) await waitIdle(server);
    for (const server of servers) {
      const runs = results.filter((r) => r.route === 'order' && r.server === server.key);
      const seen201 =
        placedByCheck[server.key] +
        runs.reduce((sum, r) => sum + r.warmupAnswers['201'] + r.answers['201'], 0);
      const inFlightBound = runs.reduce((sum, r) => sum + 2 * r.connections, 0);
      stockChecks.push(await checkNothingOversold(db, server, seen201, inFlightBound));
    }
  }

  const ratios = {};
  for (const r of results) {
    if (r.server === 'baseline') continue;
    const base = results.find(
      (b) => b.server === 'baseline' && b.route === r.route && b.connections === r.connections,
    );
    if (base)
      ratios[`${r.route}@${r.connections} ${r.server}`] =
        Math.round((ratePerSecond(r) / ratePerSecond(base)) * 100) / 100;
  }
  const report = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, fdLimit, hardFdLimit: hardLimit },
    versions: {
      node: process.version,
      wrk,
      postgres: db.version,
      ...Object.fromEntries(
        [
          '@nestjs/core',
          '@nestjs/platform-fastify',
          'fastify',
          '@mikro-orm/core',
          'pg',
          'pino',
        ].map((name) => [
          name,
          JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8'))
            .version,
        ]),
      ),
    },
    settings: {
      ...SETTINGS,
      database: db.source,
      postgresMaxConnections: db.maxConnections,
      keelLogLevels: Object.fromEntries(
        SETTINGS.servers.filter((k) => SERVERS[k].logLevel).map((k) => [k, SERVERS[k].logLevel]),
      ),
      note: 'wrk, the servers and PostgreSQL share the same machine; non2xx is wrk errors.status (HTTP >= 400)',
    },
    servers: servers.map((s) => ({ key: s.key, label: s.name, readyMs: s.readyMs })),
    results,
    ratios,
    ...(stockChecks.length ? { orderStockChecks: stockChecks } : {}),
    totalSeconds: Math.round((Date.now() - t0) / 1000),
  };
  mkdirSync(join(SETTINGS.out, '..'), { recursive: true });
  writeFileSync(SETTINGS.out, await formatJson(report));

  process.stdout.write(
    `\nKeel bench — ${report.date}, Node ${process.version}, PostgreSQL ${db.version} (${db.source}), ${report.machine.cpus} CPUs, ${wrk.split(' ').slice(0, 2).join(' ')} -t${SETTINGS.threads} --timeout ${SETTINGS.wrkTimeout}, ${SETTINGS.warmupSeconds}s warm-up + ${SETTINGS.durationSeconds}s\n\n`,
  );
  process.stdout.write(`${table(results)}\n\n`);
  process.stdout.write(
    `Keel/baseline req/s: ${Object.entries(ratios)
      .map(([k, v]) => `${k} ${v}×`)
      .join(', ')}\n`,
  );
  if (stockChecks.length) {
    process.stdout.write(
      `\n${orderTable(results)}\n\nStock check (each server on its own products):\n`,
    );
    process.stdout.write(`${stockChecks.map(describeStockCheck).join('\n')}\n`);
  }
  process.stdout.write(`Results: ${SETTINGS.out} (total ${report.totalSeconds} s)\n`);
  const failed = stockChecks.filter((c) => !c.ok);
  if (failed.length) {
    throw new Error(`stock check failed for ${failed.map((c) => c.server).join(', ')}`);
  }
}

try {
  await main();
} catch (error) {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
}

// The servers measured side by side: the raw baseline, Keel with two log levels, and the peer (a
// conventional NestJS service). Each is started on a free port under the fd limit; its cold start
// (spawn to the first 200 of /api/v1/status) and idle RSS are taken on the way.
import { request } from 'node:http';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { httpRequest } from './http.mjs';
import { log } from './log.mjs';
import { listenQueueOf } from './kernel.mjs';
import { megabytes, procStatus, waitIdle, withDescendants } from './proc-stats.mjs';
import { SERVER_CPU, outputOf, spawnWithFdLimit, tail, track } from './processes.mjs';
import { BENCH, NODE, ROOT, SETTINGS } from './settings.mjs';
import { JWT_SECRET } from './token.mjs';

const keelEnv = (logLevel) => ({
  NODE_ENV: 'production',
  LOG_LEVEL: logLevel,
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
});

// Keel starts as `npm run start:prod` does (and the image's CMD): with the tracing preload, which
// does nothing unless OTEL_* variables configure an exporter.
const KEEL_NODE_ARGS = ['--import', join(ROOT, 'dist/tracing/preload.js')];

/** keel-info with tracing on, sampled as OTEL_TRACES_SAMPLER / _ARG say. */
const tracedKeel = (label, sampler, samplerArg) => ({
  label: `keel (LOG_LEVEL=info, ${label})`,
  kind: 'keel',
  logLevel: 'info',
  script: join(ROOT, 'dist/main.js'),
  nodeArgs: KEEL_NODE_ARGS,
  env: keelEnv('info'),
  traced: {
    OTEL_TRACES_SAMPLER: sampler,
    ...(samplerArg === undefined ? {} : { OTEL_TRACES_SAMPLER_ARG: samplerArg }),
  },
  // Some export is expected: a run that received none did not trace.
  exports: samplerArg !== '0',
  routes: ['status', 'customer', 'order'],
  lowestOnly: true,
});

/**
 * `routes`: the rows a server takes part in (the peer serves the reads only); `lowestOnly`: only at
 * the lowest number of connections (the tracing row is a cost against keel-info, not a load test).
 */
export const SERVERS = {
  baseline: {
    label: 'baseline',
    kind: 'baseline',
    script: join(BENCH, 'baseline/server.mjs'),
    env: { BASELINE_JWT_SECRET: JWT_SECRET },
    routes: ['status', 'customer', 'c10k', 'order'],
  },
  keel: {
    label: 'keel',
    kind: 'keel',
    logLevel: 'warn',
    script: join(ROOT, 'dist/main.js'),
    nodeArgs: KEEL_NODE_ARGS,
    env: keelEnv('warn'),
    routes: ['status', 'customer', 'c10k', 'order'],
  },
  'keel-info': {
    label: 'keel (LOG_LEVEL=info)',
    kind: 'keel',
    logLevel: 'info',
    script: join(ROOT, 'dist/main.js'),
    nodeArgs: KEEL_NODE_ARGS,
    env: keelEnv('info'),
    routes: ['status', 'customer', 'c10k', 'order'],
  },
  // keel-info with tracing on, exporting OTLP/HTTP protobuf (as in production) to the bench's sink
  // (otlp-sink.mjs), sampling nothing, 10 % and 100 % of requests: issue 26's costs of tracing,
  // against keel-info.
  'keel-traced-none': tracedKeel('tracing on, 0 % sampled', 'traceidratio', '0'),
  'keel-traced-10': tracedKeel('tracing on, 10 % sampled', 'traceidratio', '0.1'),
  'keel-traced': tracedKeel('tracing 100 %', 'always_on'),
  // The scale-out rows (lib/topology.mjs): `keel` on a scratch primary, straight to it, through
  // PgBouncer, and with a streaming replica for the reads that opt in. Not in BENCH_SERVERS.
  'keel-direct': {
    label: 'keel (direct to the primary)',
    kind: 'keel',
    logLevel: 'warn',
    script: join(ROOT, 'dist/main.js'),
    nodeArgs: KEEL_NODE_ARGS,
    env: keelEnv('warn'),
    routes: ['topology'],
  },
  'keel-pgbouncer': {
    label: 'keel (through PgBouncer)',
    kind: 'keel',
    logLevel: 'warn',
    script: join(ROOT, 'dist/main.js'),
    nodeArgs: KEEL_NODE_ARGS,
    env: keelEnv('warn'),
    routes: ['topology'],
  },
  'keel-replica': {
    label: 'keel (DATABASE_READ_URLS = the replica)',
    kind: 'keel',
    logLevel: 'warn',
    script: join(ROOT, 'dist/main.js'),
    nodeArgs: KEEL_NODE_ARGS,
    env: keelEnv('warn'),
    routes: ['topology'],
  },
  // keel-info with WEB_CONCURRENCY=2 (issue 25): two workers behind one port, against keel-info's
  // single process on the status and customer reads, ratio in its own table. Only at the lowest
  // connections: what it shows is how far a second core helps, not another overload test.
  'keel-cluster': {
    label: 'keel (LOG_LEVEL=info, WEB_CONCURRENCY=2)',
    kind: 'keel',
    logLevel: 'info',
    script: join(ROOT, 'dist/main.js'),
    nodeArgs: KEEL_NODE_ARGS,
    env: { ...keelEnv('info'), WEB_CONCURRENCY: '2' },
    routes: ['status', 'customer'],
    lowestOnly: true,
    comparedWith: 'keel-info',
  },
  peer: {
    label: 'peer (NestJS+Express)',
    kind: 'peer',
    script: join(BENCH, 'peer/dist/main.js'),
    env: { JWT_SECRET },
    routes: ['status', 'customer', 'c10k'],
  },
};

export const isKeel = (key) => SERVERS[key].kind === 'keel';

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

/** One GET of /api/v1/status: its status code, or undefined while nothing listens. */
function statusOnce(port) {
  return new Promise((done) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/api/v1/status', agent: false, timeout: 1000 },
      (res) => {
        res.resume();
        res.once('end', () => done(res.statusCode));
      },
    );
    req.once('error', () => done(undefined));
    req.once('timeout', () => req.destroy());
    req.end();
  });
}

/** Polls every 10 ms until the first 200 (the end of the cold start). */
async function waitFirst200(server, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null || server.child.signalCode !== null) {
      throw new Error(
        `${server.name} exited during start:\n${server.stderr.text}${server.stdout.text}`,
      );
    }
    if ((await statusOnce(server.port)) === 200) return;
    await sleep(10);
  }
  throw new Error(
    `${server.name} not ready within ${timeoutMs} ms:\n${server.stderr.text}${server.stdout.text}`,
  );
}

/** `extraEnv`: what this start adds (the scale-out rows' pooler and replica URLs). */
export async function startServer(key, databaseUrl, fdLimit, otlpSink, extraEnv = {}) {
  const spec = SERVERS[key];
  const port = await freePort();
  // BENCH_PROFILE=1: V8 CPU profile of each server, written when it exits (bench/README.md).
  const profile = SETTINGS.profile
    ? [
        '--cpu-prof',
        // A folder per server and Node's own names (pid and thread id in them): with a fixed name
        // the tracing preload's loader thread wrote its profile over the main thread's.
        `--cpu-prof-dir=${join(BENCH, 'results/profiles', key)}`,
      ]
    : [];
  const env = {
    ...process.env,
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    DB_POOL_MAX: String(SETTINGS.poolMax),
    ...spec.env,
    ...extraEnv,
    ...(spec.traced
      ? {
          OTEL_EXPORTER_OTLP_ENDPOINT: otlpSink.url,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
          ...spec.traced,
        }
      : {}),
  };
  // keel-info's access log goes to /dev/null: its cost here is building and serialising the lines,
  // not a consumer reading them.
  const stdout = spec.logLevel === 'info' ? 'ignore' : 'pipe';
  const t0 = process.hrtime.bigint();
  const child = track(
    spawnWithFdLimit(
      fdLimit,
      NODE,
      [...profile, ...(spec.nodeArgs ?? []), spec.script],
      { cwd: ROOT, env, stdio: ['ignore', stdout, 'pipe'] },
      SETTINGS.pinServers ? SERVER_CPU : undefined,
    ),
    key,
  );
  const server = {
    key,
    name: spec.label,
    child,
    pid: child.pid,
    port,
    url: `http://127.0.0.1:${port}`,
    stdout: tail(child.stdout),
    stderr: tail(child.stderr),
  };
  outputOf(child).output = server.stderr;
  await waitFirst200(server);
  server.coldStartMs = Math.round(Number(process.hrtime.bigint() - t0) / 1e5) / 10;
  server.listenBacklog = (await listenQueueOf(port)).backlog;
  await waitIdle(server, 15_000);
  await sleep(1000);
  server.idleRssMb = megabytes(procStatus(withDescendants(child.pid)).rssKb);
  log(
    `${spec.label} ready on ${server.url} (pid ${child.pid}): cold start ${server.coldStartMs} ms, ` +
      `idle RSS ${server.idleRssMb} MB, listen backlog ${server.listenBacklog}`,
  );
  return server;
}

/** Keel's V8 heap right after a run, from its own /metrics (prom-client); none for the others. */
export async function heapOf(server) {
  if (!isKeel(server.key)) return undefined;
  try {
    const { text } = await httpRequest(`${server.url}/metrics`, { timeoutMs: 5000 });
    const mb = (name) => {
      const value = new RegExp(`^${name} (\\S+)`, 'm').exec(text)?.[1];
      return value === undefined ? undefined : Math.round(Number(value) / 104857.6) / 10;
    };
    return { used: mb('nodejs_heap_size_used_bytes'), total: mb('nodejs_heap_size_total_bytes') };
  } catch {
    return undefined;
  }
}

// Every knob of the bench, read once from the environment (bench/README.md lists them). BENCH_SMOKE=1
// (npm run bench:smoke) shrinks every row to a few seconds at reduced connections for CI.
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BENCH = join(ROOT, 'bench');
export const NODE = process.execPath;

const env = process.env;
const list = (value, fallback) => (value ? value.split(',').map((s) => s.trim()) : fallback);
const numbers = (value, fallback) => list(value, fallback).map(Number);
export const smoke = env.BENCH_SMOKE === '1';

export const SETTINGS = {
  smoke,
  warmupSeconds: Number(env.BENCH_WARMUP ?? (smoke ? 1 : 3)),
  durationSeconds: Number(env.BENCH_DURATION ?? (smoke ? 2 : 10)),
  threads: Number(env.BENCH_THREADS ?? 2),
  // wrk drops latencies above its timeout from the histogram (counting them as timeouts); 2 s, its
  // default, is below what 10,000 connections see here, so the bound is raised to keep p99 honest.
  wrkTimeout: env.BENCH_WRK_TIMEOUT ?? '10s',
  connections: numbers(env.BENCH_CONNECTIONS, smoke ? ['20', '200'] : ['100', '10000']),
  routes: list(env.BENCH_ROUTES, ['status', 'customer', 'c10k', 'order', 'topology']),
  orderConnections: numbers(env.BENCH_ORDER_CONNECTIONS, smoke ? ['20', '200'] : ['100', '10000']),
  // Rows at this many connections or more are run `repeat` times (interleaved across servers) and
  // give the median run.
  repeat: Number(env.BENCH_REPEAT ?? (smoke ? 1 : 3)),
  repeatFrom: 10_000,
  // With a tracing server in the run, rows at the lowest connections are run this many times,
  // alternating between the servers: each tracing cost is the median of as many paired runs.
  tracingRepeat: Number(env.BENCH_TRACING_REPEAT ?? (smoke ? 1 : 3)),
  // A run is valid when the kernel counted at least this share of its connections established to
  // the server's port all through the measured window (9,500 of 10,000).
  heldShare: 0.95,
  // How often `ss` counts them: each count of 10,000 sockets costs CPU the servers share.
  connectionSampleMs: smoke ? 200 : 500,
  // The C10k row: idle keep-alive connections opened first by bench/load/idle-connections.mjs,
  // then the customer read at `idleLoadConnections`.
  idleConnections: Number(env.BENCH_IDLE_CONNECTIONS ?? (smoke ? 200 : 10_000)),
  idleLoadConnections: Number(env.BENCH_IDLE_LOAD_CONNECTIONS ?? (smoke ? 20 : 100)),
  // Per server: 20 products, all in EUR; most with stock for the whole run, the first
  // `orderScarceProducts` with `orderScarceStock` units, sold out early in the warm-up, so the
  // measured run also answers 409 (out of stock) and the stock is driven to exactly zero.
  orderProducts: 20,
  orderStartingStock: 1_000_000,
  orderScarceProducts: 2,
  orderScarceStock: Number(env.BENCH_ORDER_SCARCE_STOCK ?? 25),
  // keel: LOG_LEVEL=warn (no access lines); keel-info: the production default, one line/request;
  // keel-traced-none, keel-traced-10, keel-traced: keel-info with tracing on, sampling nothing,
  // 10 % and 100 % of requests; keel-cluster: keel-info with WEB_CONCURRENCY=2.
  servers: list(
    env.BENCH_SERVERS,
    smoke
      ? ['baseline', 'keel-info', 'keel-traced-none', 'keel-traced', 'keel-cluster', 'peer']
      : [
          'baseline',
          'keel',
          'keel-info',
          'keel-traced-none',
          'keel-traced-10',
          'keel-traced',
          'keel-cluster',
          'peer',
        ],
  ),
  customers: 10_000,
  sampleIds: 1_000,
  poolMax: Number(env.DB_POOL_MAX ?? 20),
  database: 'keel_bench',
  // Raise net.core.somaxconn / tcp_max_syn_backlog to this for the run when they are lower
  // (restored at the end); BENCH_SYSCTL=0 leaves the kernel alone and only reports.
  kernelBacklog: 16_384,
  raiseKernelLimits: env.BENCH_SYSCTL !== '0',
  // Before a load, wait for the machine to be this quiet (shared machine) and for every server to
  // have worked off the previous load; the smoke, whose figures mean nothing, waits for neither.
  quietBusyPercent: smoke ? 100 : 15,
  waitIdleBetweenRuns: !smoke,
  profile: env.BENCH_PROFILE === '1',
  // BENCH_PIN=1: each server on CPU 0 alone, everything else (this runner, PostgreSQL, wrk, the
  // OTLP sink) on the other CPUs, so a server's throughput is what its own core gives and a cost
  // ratio is not the scheduler's mood (bench/README.md).
  pinServers: env.BENCH_PIN === '1',
  out: resolve(ROOT, env.BENCH_OUT ?? `bench/results/${smoke ? 'smoke' : 'latest'}.json`),
};

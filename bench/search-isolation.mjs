// Issue 21, item 2: does a flood of worst-case catalogue searches leave other readers alone? One
// Keel (as `npm run start:prod` runs it, defaults on) over 200,000 products; a cheap read (a
// product by id) is timed alone, then beside 20 clients searching without pause for names no
// product has (bench/load/search-flood.mjs, a process of its own), alternating, `pairs` times. It
// prints each pair's p50/p99 and the ratio beside/alone, and the median ratio against the issue's
// 3× last. The figures are this machine's: run it on a quiet one (bench/README.md).
//   npm run bench:search-isolation        env: DATABASE_URL (else embedded), SEARCH_PAIRS (3),
//                                          SEARCH_WINDOW_MS (3000), SEARCH_CLIENTS (20)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { log } from './lib/log.mjs';
import { cleanup, onCleanup, run, tail, track } from './lib/processes.mjs';
import { NODE, ROOT } from './lib/settings.mjs';
import { JWT_SECRET } from './lib/token.mjs';

const PRODUCTS = 200_000;
const PAIRS = Number(process.env.SEARCH_PAIRS ?? 3);
const WINDOW_MS = Number(process.env.SEARCH_WINDOW_MS ?? 3000);
const CLIENTS = Number(process.env.SEARCH_CLIENTS ?? 20);
const TARGET_RATIO = 3;
const DATABASE = 'keel_bench_search';
const CHEAP_READ = '/api/v1/products/00000000-0000-4000-8000-000000000001';

const percentile = (samples, fraction) =>
  [...samples].sort((a, b) => a - b)[Math.ceil(samples.length * fraction) - 1];
const median = (values) => percentile(values, 0.5);
const ms = (value) => `${value.toFixed(1)} ms`;

async function serverUrl() {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const { startEmbeddedDatabase } = await import('../dist/database/embedded/embedded-database.js');
  const embedded = await startEmbeddedDatabase(join(ROOT, '.data/bench-postgres'));
  onCleanup(() => embedded.stop());
  return embedded.serverUrl;
}

async function prepareDatabase() {
  const { createDatabaseIfMissing, dropDatabase, withDatabase } =
    await import('../dist/database/database-admin.js');
  const server = await serverUrl();
  await dropDatabase(server, DATABASE);
  await createDatabaseIfMissing(server, DATABASE);
  onCleanup(() => dropDatabase(server, DATABASE));
  const url = withDatabase(server, DATABASE);
  await run(NODE, ['dist/database/cli/migrate.js'], { ...process.env, DATABASE_URL: url });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(readFileSync(join(ROOT, 'bench/load/catalogue.sql'), 'utf8'), [PRODUCTS]);
    await client.query('analyze products');
  } finally {
    await client.end();
  }
  return url;
}

async function startKeel(databaseUrl) {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = track(
    spawn(NODE, ['--import', join(ROOT, 'dist/tracing/preload.js'), 'dist/main.js'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        DATABASE_URL: databaseUrl,
        JWT_SECRET,
        PORT: String(port),
        JOB_WORKERS: 'false',
        SHUTDOWN_DRAIN_DELAY_MS: '0',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    }),
    'keel',
  );
  const errors = tail(child.stderr);
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`keel exited: ${errors.text}`);
    const ok = await fetch(`${base}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return base;
    await sleep(100);
  }
  throw new Error(`keel did not become ready: ${errors.text}`);
}

async function timedRead(base) {
  const startedAt = performance.now();
  const response = await fetch(`${base}${CHEAP_READ}`);
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`cheap read answered ${response.status}`);
  return performance.now() - startedAt;
}

async function readsFor(base, windowMs) {
  const reads = [];
  const until = performance.now() + windowMs;
  while (performance.now() < until) reads.push(await timedRead(base));
  return reads;
}

/** The cheap reads timed while CLIENTS search for WINDOW_MS, and the searches answered. */
function besideSearches(base) {
  return new Promise((settle, fail) => {
    const searchers = track(
      spawn(NODE, [join(ROOT, 'bench/load/search-flood.mjs')], {
        env: {
          FLOOD_BASE: base,
          FLOOD_CLIENTS: String(CLIENTS),
          FLOOD_WINDOW_MS: String(WINDOW_MS),
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
      'search-flood',
    );
    let output = '';
    let reading;
    searchers.stdout.on('data', (chunk) => {
      output += chunk.toString();
      // The searchers are under way 200 ms after "go"; stop timing before their window closes.
      reading ??= output.startsWith('go\n')
        ? sleep(200).then(() => readsFor(base, WINDOW_MS - 400))
        : undefined;
    });
    searchers.once('error', fail);
    searchers.once('exit', (code) => {
      const answered = Number(output.split('\n')[1]);
      if (code !== 0 || Number.isNaN(answered) || !reading)
        fail(new Error(`search flood: ${code} ${output}`));
      else reading.then((reads) => settle({ answered, reads }), fail);
    });
  });
}

async function main() {
  log(`preparing ${PRODUCTS.toLocaleString('en')} products`);
  const base = await startKeel(await prepareDatabase());
  for (let i = 0; i < 50; i++) await timedRead(base); // warm-up: connections, JIT
  const ratios = [];
  const lines = ['| pair | alone p50 / p99 | beside p50 / p99 | p99 ratio | searches/s |'];
  lines.push('|---|---|---|---|---|');
  for (let pair = 1; pair <= PAIRS; pair++) {
    const alone = await readsFor(base, WINDOW_MS - 400);
    const beside = await besideSearches(base);
    const ratio = percentile(beside.reads, 0.99) / percentile(alone, 0.99);
    ratios.push(ratio);
    lines.push(
      `| ${pair} | ${ms(median(alone))} / ${ms(percentile(alone, 0.99))} | ` +
        `${ms(median(beside.reads))} / ${ms(percentile(beside.reads, 0.99))} | ` +
        `${ratio.toFixed(2)}× | ${Math.round(beside.answered / (WINDOW_MS / 1000))} |`,
    );
  }
  const result = median(ratios);
  console.log(`\ncheap read (product by id) alone and beside ${CLIENTS} worst-case searches`);
  console.log(lines.join('\n'));
  console.log(
    `median p99 ratio ${result.toFixed(2)}× (target ≤ ${TARGET_RATIO}×): ` +
      `${result <= TARGET_RATIO ? 'met' : 'missed'}`,
  );
}

try {
  await main();
} finally {
  await cleanup();
}

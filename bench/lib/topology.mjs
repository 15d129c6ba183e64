// The scale-out rows (issue 24, item 5), side by side in one run with their ratios:
//   - the customer read through PgBouncer (transaction mode) vs straight to PostgreSQL;
//   - the customer list served by a streaming replica (DATABASE_READ_URLS) vs by the primary.
// They need a primary that allows replication, so they run on a scratch primary of their own
// (initdb on a free port, as test/support/replica.ts makes for the e2e suites), a replica made
// with pg_basebackup (no apply delay: this measures the path, not lag), and .ci/pgbouncer.sh.
// Three Keel servers, same settings as `keel` (LOG_LEVEL=warn): direct, through the pooler, with
// the replica. Everything is stopped and removed by cleanup().
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { runWrk } from './load/wrk.mjs';
import { log } from './log.mjs';
import { waitIdle } from './proc-stats.mjs';
import { onCleanup, run, state, tail, track } from './processes.mjs';
import { startServer } from './servers.mjs';
import { NODE, ROOT, SETTINGS } from './settings.mjs';
import { JWT_SECRET } from './token.mjs';

const PG_BIN = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';
const asRoot = process.getuid?.() === 0;
const LIST_PATH = '/api/v1/customers?limit=20';

export const topologyAvailable = () =>
  ['initdb', 'pg_ctl', 'pg_basebackup'].every((name) => existsSync(join(PG_BIN, name))) &&
  ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].some((path) => existsSync(path));

const pgProgram = (name, args) =>
  asRoot
    ? run('runuser', ['-u', 'postgres', '--', join(PG_BIN, name), ...args], process.env)
    : run(join(PG_BIN, name), args, process.env);

function freePort() {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

async function scratchServer(folder, port, settings) {
  const dataDir = join(folder, 'data');
  const conf = Object.entries({ port, listen_addresses: '127.0.0.1', ...settings })
    .map(([name, value]) => `${name} = '${value}'`)
    .join('\n');
  writeFileSync(join(dataDir, 'postgresql.auto.conf'), `${conf}\n`, { flag: 'a' });
  if (asRoot) await run('chown', ['-R', 'postgres:postgres', folder], process.env);
  await pgProgram('pg_ctl', ['start', '-w', '-t', '60', '-D', dataDir, '-l', join(folder, 'log')]);
  onCleanup(async () => {
    await pgProgram('pg_ctl', ['stop', '-w', '-m', 'fast', '-D', dataDir]).catch(() => undefined);
    rmSync(folder, { recursive: true, force: true });
  });
  return `postgres://postgres@127.0.0.1:${port}`;
}

function scratchFolder(purpose) {
  const folder = mkdtempSync(join(tmpdir(), `keel-bench-${purpose}-`));
  chmodSync(folder, 0o755);
  return folder;
}

async function startPrimary() {
  const folder = scratchFolder('primary');
  if (asRoot) await run('chown', ['postgres:postgres', folder], process.env);
  await pgProgram('initdb', [
    '-D',
    join(folder, 'data'),
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
    '--encoding=UTF8',
    '--locale=C',
  ]);
  const port = await freePort();
  const url = await scratchServer(folder, port, {
    unix_socket_directories: folder,
    max_connections: 200,
    wal_level: 'replica',
    shared_buffers: '128MB',
    fsync: 'off',
  });
  return { url, port };
}

async function startReplica(primaryPort) {
  const folder = scratchFolder('replica');
  if (asRoot) await run('chown', ['postgres:postgres', folder], process.env);
  await pgProgram('pg_basebackup', [
    '-h',
    '127.0.0.1',
    '-p',
    String(primaryPort),
    '-U',
    'postgres',
    '-D',
    join(folder, 'data'),
    '-X',
    'stream',
    '-R',
    '--checkpoint=fast',
    '--no-sync',
  ]);
  return scratchServer(folder, await freePort(), {
    unix_socket_directories: folder,
    hot_standby: 'on',
  });
}

async function startPgBouncer(primaryPort) {
  const folder = scratchFolder('pgbouncer');
  const port = await freePort();
  const child = track(
    spawn(
      'bash',
      [join(ROOT, '.ci/pgbouncer.sh'), folder, String(port), String(SETTINGS.poolMax)],
      {
        env: { ...process.env, SERVER_PORT: String(primaryPort) },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    ),
    'pgbouncer',
  );
  const output = tail(child.stderr);
  onCleanup(async () => rmSync(folder, { recursive: true, force: true }));
  for (let tries = 0; tries < 100; tries++) {
    const client = new pg.Client({
      connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`,
    });
    const up = await client.connect().then(
      () => client.end().then(() => true),
      () => false,
    );
    if (up) return `postgres://postgres@127.0.0.1:${port}`;
    if (child.exitCode !== null) break;
    await sleep(100);
  }
  throw new Error(`pgbouncer did not start:\n${output.text}`);
}

async function prepareData(primaryUrl) {
  const { createDatabaseIfMissing, withDatabase } =
    await import('../../dist/database/database-admin.js');
  await createDatabaseIfMissing(primaryUrl, SETTINGS.database);
  const url = withDatabase(primaryUrl, SETTINGS.database);
  await run(NODE, ['dist/database/cli/migrate.js'], {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: url,
    DATABASE_DIRECT_URL: '',
    JWT_SECRET,
  });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `insert into customers (id, name, email, phone, created_at, updated_at, version)
       select gen_random_uuid(), 'Customer ' || g, 'customer' || g || '@example.com', null,
              now() - make_interval(secs => g), now(), 1
       from generate_series(1, $1::int) as g`,
      [SETTINGS.customers],
    );
    await client.query('analyze customers');
    const { rows } = await client.query('select id from customers order by random() limit $1', [
      SETTINGS.sampleIds,
    ]);
    return rows.map((row) => row.id);
  } finally {
    await client.end();
  }
}

/** The rows: [label, route, path, ids?, [server a, server b]]; the ratio is b / a. */
const PAIRS = [
  {
    id: 'customer-pooled',
    name: 'customer read: PgBouncer vs direct',
    path: '/api/v1/customers',
    ids: true,
    servers: ['keel-direct', 'keel-pgbouncer'],
  },
  {
    id: 'list-replica',
    name: 'customer list: replica vs primary',
    path: LIST_PATH,
    ids: false,
    servers: ['keel-direct', 'keel-replica'],
  },
];

const median = (values) =>
  values.slice().sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];

/**
 * Starts the scratch topology and its three servers, runs each pair of rows (runs interleaved,
 * the median stands), and returns the figures for the report. In the smoke: correctness only
 * (every answer 2xx, the replica actually served the list).
 */
export async function runTopologyRows({ fdLimit, tmp }) {
  const primary = await startPrimary();
  log(`topology: scratch primary on ${primary.url}`);
  const ids = await prepareData(`${primary.url}/postgres`);
  const replicaServer = await startReplica(primary.port);
  const pooler = await startPgBouncer(primary.port);
  log(`topology: replica on ${replicaServer}, PgBouncer (transaction mode) on ${pooler}`);
  const idsFile = join(tmp, 'topology-ids.txt');
  writeFileSync(idsFile, `${ids.join('\n')}\n`);
  const db = (server) => `${server}/${SETTINGS.database}`;
  const servers = {
    'keel-direct': await startServer('keel-direct', db(primary.url), fdLimit),
    'keel-pgbouncer': await startServer('keel-pgbouncer', db(pooler), fdLimit, undefined, {
      DATABASE_DIRECT_URL: db(primary.url),
    }),
    'keel-replica': await startServer('keel-replica', db(primary.url), fdLimit, undefined, {
      DATABASE_READ_URLS: db(replicaServer),
    }),
  };
  const replicaScans = async () => {
    const client = new pg.Client({ connectionString: db(replicaServer) });
    await client.connect();
    try {
      const { rows } = await client.query(
        `select coalesce(seq_scan, 0) + coalesce(idx_scan, 0) as scans
           from pg_stat_user_tables where relname = 'customers'`,
      );
      return Number(rows[0]?.scans ?? 0);
    } finally {
      await client.end();
    }
  };
  const scansBefore = await replicaScans();
  const connections = SETTINGS.smoke ? 20 : 100;
  const results = [];
  for (const pair of PAIRS) {
    const runs = Object.fromEntries(pair.servers.map((key) => [key, []]));
    for (let repetition = 0; repetition < SETTINGS.repeat; repetition++) {
      for (const key of pair.servers) {
        if (state.interrupted) return { results };
        const server = servers[key];
        if (SETTINGS.waitIdleBetweenRuns) for (const s of Object.values(servers)) await waitIdle(s);
        log(`${pair.name} @${connections} → ${server.name}`);
        const load = {
          url: server.url + pair.path,
          connections,
          idsFile: pair.ids ? idsFile : undefined,
          authorize: true,
          fdLimit,
          checkAnswers: SETTINGS.smoke,
        };
        await runWrk({ ...load, seconds: SETTINGS.warmupSeconds });
        const measured = await runWrk({ ...load, seconds: SETTINGS.durationSeconds });
        log(
          `   ${measured.okRps.toFixed(0)} ok/s, p50 ${measured.latencyMs.p50} ms, p99 ${measured.latencyMs.p99} ms, non-2xx ${measured.non2xx}`,
        );
        runs[key].push(measured);
      }
    }
    const [a, b] = pair.servers.map((key) => {
      const chosen = runs[key].find((r) => r.okRps === median(runs[key].map((x) => x.okRps)));
      const e = chosen.socketErrors;
      return {
        server: key,
        okRps: Math.round(chosen.okRps),
        p50: chosen.latencyMs.p50,
        p99: chosen.latencyMs.p99,
        non2xx: runs[key].reduce((n, r) => n + r.non2xx, 0),
        socketErrors: runs[key].reduce(
          (n, r) => n + r.socketErrors.connect + r.socketErrors.read + r.socketErrors.write,
          0,
        ),
        runs: runs[key].map((r) => Math.round(r.okRps)),
        errors: e,
      };
    });
    results.push({
      row: pair.id,
      name: pair.name,
      connections,
      a,
      b,
      ratio: Math.round((b.okRps / a.okRps) * 100) / 100,
      p50Ratio: Math.round((b.p50 / a.p50) * 100) / 100,
    });
  }
  // A standby flushes its table statistics within about 10 s of an idle backend.
  let replicaServedScans = 0;
  for (let waited = 0; waited < 15_000 && replicaServedScans === 0; waited += 500) {
    replicaServedScans = (await replicaScans()) - scansBefore;
    if (replicaServedScans === 0) await sleep(500);
  }
  const failures = [
    ...results.flatMap((r) =>
      [r.a, r.b]
        .filter((side) => side.non2xx > 0 || side.socketErrors > 0)
        .map(
          (side) =>
            `${r.name}: ${side.server} had ${side.non2xx} non-2xx, ${side.socketErrors} socket errors`,
        ),
    ),
    ...(replicaServedScans > 0 ? [] : ['the replica served no list read (its statistics)']),
  ];
  return { results, replicaServedScans, failures };
}

/** The side-by-side table of the scale-out rows. */
export function printTopology(topology) {
  if (!topology?.results?.length) return;
  const lines = ['', 'Scale-out rows (same run; ratio = second / first, by ok/s):'];
  for (const r of topology.results) {
    lines.push(
      `  ${r.name} @${r.connections}: ${r.a.server} ${r.a.okRps} ok/s (p50 ${r.a.p50} ms, p99 ${r.a.p99} ms)` +
        ` | ${r.b.server} ${r.b.okRps} ok/s (p50 ${r.b.p50} ms, p99 ${r.b.p99} ms) | ratio ${r.ratio}, p50 ratio ${r.p50Ratio}`,
    );
  }
  lines.push(`  the replica's own statistics: ${topology.replicaServedScans} scans of customers`);
  log(lines.join('\n'));
}

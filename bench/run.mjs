// Keel's benchmark: Keel (NestJS + Fastify + MikroORM) against a raw Fastify + pg baseline doing the
// same work and a conventional NestJS + Express peer, side by side on 127.0.0.1. `npm run bench`
// builds first; `npm run bench:smoke` is the short correctness run for CI. bench/README.md says
// what is measured; the parts live in bench/lib/ (settings, servers, load, measure, checks, report).
//
// Everything it starts (PostgreSQL if embedded, the servers, the load generators) it stops, and
// whatever it changed (database, kernel limits) it undoes, also on Ctrl-C; every load is bounded.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkOrderAnswers, checkNothingOversold } from './lib/checks/orders.mjs';
import { checkLoadAnswers } from './lib/checks/load-answers.mjs';
import { checkSameAnswers } from './lib/checks/same-answers.mjs';
import { prepareDatabase } from './lib/database.mjs';
import { prepareKernelLimits } from './lib/kernel.mjs';
import { wrkVersion } from './lib/load/wrk.mjs';
import { log } from './lib/log.mjs';
import { startOtlpSink } from './lib/otlp-sink.mjs';
import {
  cleanup,
  hardFdLimit,
  onCleanup,
  pinRunnerAwayFromServers,
  SERVER_CPU,
  state,
} from './lib/processes.mjs';
import { printReport, writeReport } from './lib/report/write.mjs';
import { targets } from './lib/report/targets.mjs';
import { plannedRows } from './lib/rows.mjs';
import { runRows } from './lib/row-runner.mjs';
import { SERVERS, startServer } from './lib/servers.mjs';
import { ROOT, SETTINGS } from './lib/settings.mjs';
import { waitIdle } from './lib/proc-stats.mjs';
import { printTopology, runTopologyRows, topologyAvailable } from './lib/topology.mjs';

async function main() {
  const t0 = Date.now();
  for (const key of SETTINGS.servers) {
    if (!SERVERS[key]) throw new Error(`unknown server in BENCH_SERVERS: ${key}`);
    if (!existsSync(SERVERS[key].script))
      throw new Error(`${SERVERS[key].script} missing: run \`npm run bench\` (it builds first)`);
  }
  const wrk = wrkVersion();
  if (!wrk) throw new Error('wrk not found on PATH (Debian: apt-get install -y wrk)');
  const rows = plannedRows();
  const fdLimit = hardFdLimit();
  const mostConnections = Math.max(...rows.map((r) => r.connections + r.idle));
  if (fdLimit < mostConnections + 1_000) {
    throw new Error(`fd hard limit ${fdLimit} is too low for ${mostConnections} connections`);
  }
  log(`fd limit for each server and load generator: ${fdLimit} (the hard limit); ${wrk}`);
  if (SETTINGS.pinServers) {
    const others = pinRunnerAwayFromServers();
    if (!others) throw new Error('BENCH_PIN=1 needs at least 2 CPUs');
    log(`BENCH_PIN=1: each server on CPU ${SERVER_CPU}; PostgreSQL, wrk and the sink on ${others}`);
  }
  const kernel = prepareKernelLimits();

  const orderKeys = SETTINGS.routes.includes('order')
    ? SETTINGS.servers.filter((key) => SERVERS[key].routes.includes('order'))
    : [];
  const db = await prepareDatabase(orderKeys);
  const tmp = mkdtempSync(join(tmpdir(), 'keel-bench-'));
  onCleanup(async () => rmSync(tmp, { recursive: true, force: true }));
  const idsFile = join(tmp, 'ids.txt');
  writeFileSync(idsFile, `${db.ids.join('\n')}\n`);

  const otlpSink = SETTINGS.servers.some((key) => SERVERS[key].traced)
    ? await startOtlpSink()
    : undefined;
  if (otlpSink) onCleanup(() => otlpSink.close());
  const servers = [];
  for (const key of SETTINGS.servers)
    servers.push(await startServer(key, db.url, fdLimit, otlpSink));
  await checkSameAnswers(servers, db.ids);
  const orderServers = servers.filter((s) => orderKeys.includes(s.key));
  const placedByCheck = orderServers.length ? await checkOrderAnswers(orderServers, db.order) : {};

  const results = await runRows(rows, servers, { fdLimit, idsFile, order: db.order });
  if (state.interrupted) return;
  // The scale-out rows (PgBouncer vs direct, replica vs primary) on a topology of their own.
  let topology;
  if (SETTINGS.routes.includes('topology')) {
    if (topologyAvailable()) topology = await runTopologyRows({ fdLimit, tmp });
    else log('scale-out rows skipped: PostgreSQL programs or pgbouncer not installed');
  }
  if (state.interrupted) return;

  // Each server's orders were placed on its own products: one independent check per server.
  const stockChecks = [];
  for (const server of orderServers) {
    await waitIdle(server);
    const runs = results.filter((r) => r.kind === 'order' && r.server === server.key);
    const seen201 = placedByCheck[server.key] + runs.reduce((n, r) => n + r.seen201, 0);
    const inFlightBound = runs.reduce((n, r) => n + r.inFlightBound, 0);
    stockChecks.push(await checkNothingOversold(db, server, seen201, inFlightBound));
  }
  const failures = [
    ...stockChecks.filter((c) => !c.ok).map((c) => `stock check failed for ${c.server}`),
    ...checkLoadAnswers(results),
    ...(topology?.failures ?? []),
    // A traced server that exported nothing measured Keel without tracing: its row is void.
    ...(otlpSink &&
    SETTINGS.servers.some((key) => SERVERS[key].exports) &&
    otlpSink.received.exports === 0
      ? ['the traced servers sent no OTLP export: tracing did not run']
      : []),
  ];
  const report = {
    date: new Date().toISOString(),
    wrk,
    kernel,
    fdLimit,
    db,
    servers,
    results,
    stockChecks,
    ...(topology ? { topology } : {}),
    ...(otlpSink ? { otlpSink: otlpSink.received } : {}),
    targets: SETTINGS.smoke ? [] : targets(results, servers, stockChecks),
    failures,
    totalSeconds: Math.round((Date.now() - t0) / 1000),
  };
  await writeReport(report);
  printReport(report);
  printTopology(topology);
  if (failures.length) throw new Error(`bench checks failed:\n  - ${failures.join('\n  - ')}`);
}

try {
  process.chdir(ROOT);
  await main();
} catch (error) {
  log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await cleanup();
  // A run that failed midway may leave its samplers' timers behind: nothing else is left to do.
  process.exit();
}

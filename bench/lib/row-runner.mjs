// Runs every planned row on every server that serves it, one server at a time (never two at once),
// each once the servers are idle; rows at 10,000 connections are repeated, the repetitions
// interleaved across servers so that a disturbance of the shared machine does not hit one server
// only, and the median run (by answers per second) stands for the row. Each repetition starts one
// server later than the one before: a row whose runs drift (the order row's database grows with
// every order) would otherwise always favour the server that runs first in a round.
import { setTimeout as sleep } from 'node:timers/promises';
import { log } from './log.mjs';
import { measureRun } from './measure.mjs';
import { state } from './processes.mjs';
import { waitIdle } from './proc-stats.mjs';
import { connectionsToHold } from './rows.mjs';
import { SERVERS } from './servers.mjs';
import { SETTINGS } from './settings.mjs';

export const serversFor = (row, servers) =>
  servers.filter(
    (server) =>
      SERVERS[server.key].routes.includes(row.kind) &&
      (!SERVERS[server.key].lowestOnly || row.connections === Math.min(...SETTINGS.connections)),
  );

export async function runRows(rows, servers, context) {
  const results = [];
  for (const row of rows) {
    const runs = new Map();
    for (let repetition = 1; repetition <= row.repetitions; repetition += 1) {
      const serving = serversFor(row, servers);
      const shift = (repetition - 1) % serving.length;
      for (const server of [...serving.slice(shift), ...serving.slice(0, shift)]) {
        if (state.interrupted) return results;
        // The previous load may leave thousands of requests in flight when wrk exits (wrk stops on
        // time, not on answers): wait until every server has worked through them and gone quiet.
        if (SETTINGS.waitIdleBetweenRuns) {
          await sleep(500);
          for (const other of servers) await waitIdle(other, 120_000);
        }
        const of = row.repetitions > 1 ? ` (run ${repetition}/${row.repetitions})` : '';
        log(
          `${row.name} → ${server.name}${of}: ${SETTINGS.warmupSeconds}s warm-up + ${SETTINGS.durationSeconds}s`,
        );
        const run = await measureRun(server, row, context);
        logRun(run, row);
        runs.set(server.key, [...(runs.get(server.key) ?? []), run]);
      }
    }
    for (const [key, serverRuns] of runs)
      results.push(
        summarise(
          row,
          servers.find((s) => s.key === key),
          serverRuns,
        ),
      );
  }
  return results;
}

/** The median run by answers per second; validity needs every run to have held its connections. */
function summarise(row, server, runs) {
  const sorted = runs.slice().sort((a, b) => a.okRps - b.okRps);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  return {
    row: row.id,
    name: row.name,
    kind: row.kind,
    route: row.route,
    connections: row.connections,
    idleConnections: row.idle,
    server: server.key,
    label: server.name,
    ...median,
    valid: runs.every((r) => r.valid),
    mustHold: connectionsToHold(row),
    peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)),
    runs: runs.map((r) => ({
      okRps: Math.round(r.okRps),
      cpuUsPerRequest: r.serverCpuUsPerRequest,
      held: r.held,
      valid: r.valid,
    })),
    // For the stock check: every 201 any run saw (warm-ups too), and the loads that may have left
    // requests in flight when they stopped on time.
    seen201: runs.reduce(
      (n, r) => n + (r.answers?.['201'] ?? 0) + (r.warmupAnswers?.['201'] ?? 0),
      0,
    ),
    inFlightBound: runs.length * 2 * row.connections,
  };
}

function logRun(run, row) {
  const e = run.socketErrors;
  const answers = run.answers
    ? `, answers ${Object.entries(run.answers)
        .map(([k, v]) => `${k}:${v}`)
        .join(' ')}`
    : '';
  log(
    `   ${run.okRps.toFixed(0)} ok/s (${run.rps.toFixed(0)} req/s), p50 ${run.latencyMs.p50} ms, p99 ${run.latencyMs.p99} ms, ` +
      `errors c/r/w/t ${e.connect}/${e.read}/${e.write}/${e.timeout}, non-2xx ${run.non2xx}${answers}, ` +
      `established ${run.held ?? '?'} held (max ${run.established.max ?? '?'}) of ${row.connections + row.idle}` +
      `${run.valid ? '' : ' (INVALID)'}, listen overflows ${run.listenOverflows}, ` +
      `peak RSS ${run.peakRssMb} MB, server CPU ${run.serverCpuPercent}%`,
  );
}

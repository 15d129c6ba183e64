// wrk drives every row: the cheapest client per request (C, epoll, 2 threads, 10,000 connections
// without effort), so on 2 cores it takes the least CPU from the server it measures. The Lua
// scripts in bench/wrk/ print one WRK_JSON line.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runLoad } from '../processes.mjs';
import { BENCH, SETTINGS } from '../settings.mjs';
import { AUTHORIZATION } from '../token.mjs';

export function wrkVersion() {
  const result = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  if (result.error) return undefined;
  return (result.stdout + result.stderr).split('\n')[0].trim();
}

/**
 * One wrk run. `idsFile`: ask for a random customer of the file per request. `checkAnswers`
 * (the smoke) adds a response() hook that counts answers by status and checks each 503 is a
 * problem document with Retry-After; it costs wrk CPU, so measured read runs go without it.
 * `script`/`scriptEnv`: another script of bench/wrk/ (order.lua) and what it reads.
 */
export async function runWrk({
  url,
  connections,
  seconds,
  idsFile,
  authorize,
  fdLimit,
  checkAnswers,
  script = 'report.lua',
  scriptEnv = {},
}) {
  const args = [
    ...(authorize ? ['-H', `Authorization: ${AUTHORIZATION}`] : []),
    `-t${Math.min(SETTINGS.threads, connections)}`,
    `-c${connections}`,
    `-d${seconds}s`,
    '--timeout',
    SETTINGS.wrkTimeout,
    '--latency',
    '-s',
    join(BENCH, 'wrk', script),
    url,
  ];
  const env = {
    ...process.env,
    KEEL_BENCH_IDS: idsFile ?? '',
    KEEL_BENCH_CHECK_ANSWERS: checkAnswers ? '1' : '',
    KEEL_BENCH_REPORT_LUA: join(BENCH, 'wrk/report.lua'),
    ...scriptEnv,
  };
  const wrk = await runLoad('wrk', 'wrk', args, { env, fdLimit, seconds, prefix: 'WRK_JSON' });
  const duration = wrk.durationUs / 1e6;
  const non2xx = wrk.errors.status;
  return {
    tool: 'wrk',
    requests: wrk.requests,
    seconds: duration,
    rps: wrk.requests / duration,
    // What the ratios compare on read rows: answers that were 2xx (a shed 503 is not a read served).
    okRps: (wrk.requests - non2xx) / duration,
    latencyMs: msOf(wrk.latencyUs),
    socketErrors: {
      connect: wrk.errors.connect,
      read: wrk.errors.read,
      write: wrk.errors.write,
      timeout: wrk.errors.timeout,
    },
    non2xx,
    ...(wrk.answers ? { answers: wrk.answers } : {}),
    ...(wrk.admittedUs ? { admittedUs: wrk.admittedUs, shedUs: wrk.shedUs } : {}),
    text: wrk.text,
  };
}

const msOf = (latencyUs) =>
  Object.fromEntries(Object.entries(latencyUs).map(([k, v]) => [k, Math.round(v / 10) / 100]));

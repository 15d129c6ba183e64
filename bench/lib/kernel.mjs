// What the kernel does with the connections: its queue limits (printed, raised for the run when
// too low and restored after), the connections it counts ESTABLISHED to a server's port, and
// the listen queues' overflow counters.
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { log } from './log.mjs';
import { onCleanup } from './processes.mjs';
import { SETTINGS } from './settings.mjs';

const execFileAsync = promisify(execFile);

const LIMITS = {
  'net.core.somaxconn': '/proc/sys/net/core/somaxconn',
  'net.ipv4.tcp_max_syn_backlog': '/proc/sys/net/ipv4/tcp_max_syn_backlog',
};

const readNumber = (path) => {
  try {
    return Number(readFileSync(path, 'utf8').trim());
  } catch {
    return undefined;
  }
};

/**
 * Prints somaxconn and tcp_max_syn_backlog; when one is below `kernelBacklog` and BENCH_SYSCTL is
 * not 0, raises it for the run (root only) and registers its restoration. Returns what was found
 * and what the run used.
 */
export function prepareKernelLimits() {
  const report = {};
  for (const [name, path] of Object.entries(LIMITS)) {
    const found = readNumber(path);
    report[name] = { found, used: found, raised: false };
    if (found === undefined || found >= SETTINGS.kernelBacklog || !SETTINGS.raiseKernelLimits)
      continue;
    try {
      writeFileSync(path, String(SETTINGS.kernelBacklog));
      report[name] = { found, used: SETTINGS.kernelBacklog, raised: true };
      onCleanup(async () => {
        writeFileSync(path, String(found));
        log(`restored ${name} = ${found}`);
      });
    } catch (error) {
      report[name].error = error.code ?? error.message;
    }
  }
  for (const [name, { found, used, raised, error }] of Object.entries(report)) {
    log(
      raised
        ? `${name} = ${found}: raised to ${used} for this run (restored at the end; BENCH_SYSCTL=0 to leave it)`
        : `${name} = ${found}${error ? ` (could not raise it: ${error})` : ''}`,
    );
  }
  return report;
}

/** Connections the kernel counts ESTABLISHED with `port` as their local port (the server's side). */
export async function establishedTo(port) {
  const { stdout } = await execFileAsync(
    'ss',
    ['-Htn', 'state', 'established', `( sport = :${port} )`],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  let count = 0;
  for (let i = stdout.indexOf('\n'); i !== -1; i = stdout.indexOf('\n', i + 1)) count += 1;
  return count;
}

/** Connections to `port` the client has closed and the server not yet (CLOSE-WAIT). */
export async function closingOn(port) {
  const { stdout } = await execFileAsync(
    'ss',
    ['-Htn', 'state', 'close-wait', `( sport = :${port} )`],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout.split('\n').filter(Boolean).length;
}

/** Waits (at most `timeoutMs`) until the server has closed the connections its last client closed. */
export async function waitClosed(port, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while ((await closingOn(port)) > 0 && Date.now() < deadline) {
    await new Promise((wake) => setTimeout(wake, 250));
  }
}

/** The listening socket on `port`: connections waiting to be accepted and its backlog limit. */
export async function listenQueueOf(port) {
  const { stdout } = await execFileAsync('ss', ['-Hltn', `( sport = :${port} )`]);
  const [, recvQ, sendQ] = stdout.trim().split(/\s+/);
  return { waiting: Number(recvQ), backlog: Number(sendQ) };
}

/** Machine-wide TcpExt ListenOverflows and ListenDrops (a delta over a run shows refused connects). */
export function listenOverflows() {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
  const header = lines.find((l) => l.startsWith('TcpExt:'))?.split(/\s+/) ?? [];
  const values = lines.filter((l) => l.startsWith('TcpExt:'))[1]?.split(/\s+/) ?? [];
  const value = (name) => Number(values[header.indexOf(name)] ?? 0);
  return { overflows: value('ListenOverflows'), drops: value('ListenDrops') };
}

/**
 * Samples the established count (and the accept queue) every 500 ms (smoke: 200) until stopped. The load has
 * started at the first sample above `before` (what was established before it: the C10k row's idle
 * connections); `held` is the least count from 40 % of the measured window after that start until
 * the load stopped. So a load generator's start-up (longer on a busy machine) does not count, and
 * connections still in SYN retries, or lost later, do.
 */
export function sampleConnections(port, seconds, before) {
  const samples = [];
  let waitingMax = 0;
  let stopped = false;
  const t0 = Date.now();
  const loop = (async () => {
    while (!stopped) {
      await new Promise((wake) => setTimeout(wake, SETTINGS.connectionSampleMs));
      if (stopped) break;
      const atMs = Date.now() - t0;
      const [count, queue] = await Promise.all([establishedTo(port), listenQueueOf(port)]);
      samples.push({ atMs, count });
      waitingMax = Math.max(waitingMax, queue.waiting);
    }
  })();
  return async () => {
    const stoppedAtMs = Date.now() - t0;
    stopped = true;
    await loop;
    const startMs = samples.find((s) => s.count > before)?.atMs;
    // The load generator closes its connections when its time is up, before it exits and reports.
    const endMs = Math.min(stoppedAtMs - 300, (startMs ?? 0) + seconds * 1000 - 500);
    const counted = samples
      .filter((s) => startMs !== undefined && s.atMs >= startMs + seconds * 400 && s.atMs <= endMs)
      .map((s) => s.count);
    return {
      held: counted.length ? Math.min(...counted) : undefined,
      max: samples.length ? Math.max(...samples.map((s) => s.count)) : undefined,
      before,
      samples: samples.map((s) => `${s.atMs}ms:${s.count}`),
      acceptQueueMax: waitingMax,
    };
  };
}

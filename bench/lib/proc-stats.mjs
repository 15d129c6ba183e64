// What /proc says about a process (memory, CPU) and about the machine (how busy it is).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { closingOn } from './kernel.mjs';
import { log } from './log.mjs';
import { SETTINGS } from './settings.mjs';

const CLOCK_TICKS =
  Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/**
 * The process and every process below it: a server with WEB_CONCURRENCY=2 is a primary and its
 * workers, and its memory and CPU are theirs together. (No /proc/<pid>/task/<tid>/children on
 * every kernel: the parents are read from each process's stat.)
 */
export function withDescendants(pid) {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // gone meanwhile
    }
  }
  const group = [pid];
  for (let i = 0; i < group.length; i += 1) {
    for (const [child, parent] of parents) if (parent === group[i]) group.push(child);
  }
  return group;
}

function statusOf(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? 0);
    return { rssKb: kb('VmRSS'), hwmKb: kb('VmHWM') };
  } catch {
    return { rssKb: 0, hwmKb: 0 };
  }
}

/** RSS and high-water mark, summed over `pids` (a process group from withDescendants) or one pid. */
export function procStatus(pids) {
  return [pids]
    .flat()
    .map(statusOf)
    .reduce((sum, one) => ({ rssKb: sum.rssKb + one.rssKb, hwmKb: sum.hwmKb + one.hwmKb }), {
      rssKb: 0,
      hwmKb: 0,
    });
}

export const megabytes = (kb) => Math.round(kb / 102.4) / 10;

function cpuSecondsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS; // utime, stime
  } catch {
    return 0;
  }
}

/** User + system CPU seconds the process and its descendants (cluster workers) have used so far. */
export function cpuSeconds(pid) {
  return withDescendants(pid).reduce((sum, one) => sum + cpuSecondsOf(one), 0);
}

/** Machine-wide CPU jiffies (busy, total) from /proc/stat. */
export function machineCpu() {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const values = fields.map(Number);
  const total = values.reduce((a, b) => a + b, 0);
  return { busy: total - values[3] - (values[4] ?? 0), total };
}

export const busyPercent = (from, to) =>
  Math.round(((to.busy - from.busy) / Math.max(1, to.total - from.total)) * 100);

/**
 * This machine is shared: before a load, waits (at most 15 s) for a second in which under
 * `quietBusyPercent` of it is busy, and reports how busy it was, so a disturbed row can be told apart.
 */
export async function waitQuietMachine() {
  let busy = 100;
  const bound = SETTINGS.quietBusyPercent;
  if (bound >= 100) return undefined;
  for (let attempt = 0; attempt < 15 && busy >= bound; attempt += 1) {
    const from = machineCpu();
    await sleep(1000);
    busy = busyPercent(from, machineCpu());
  }
  if (busy >= bound) log(`machine still ${busy}% busy before the load (other work running?)`);
  return busy;
}

/** Polls VmRSS (of the process and its workers) every 100 ms until stopped; returns the peak seen (kB) and VmHWM. */
export function sampleRss(pid) {
  const group = withDescendants(pid);
  let peak = procStatus(group).rssKb;
  const timer = setInterval(() => {
    peak = Math.max(peak, procStatus(group).rssKb);
  }, 100);
  return () => {
    clearInterval(timer);
    const now = procStatus(group);
    return { peakRssKb: Math.max(peak, now.rssKb), hwmKb: now.hwmKb };
  };
}

/**
 * Waits (at most `timeoutMs`) until the process uses under 5% of a CPU over two 250 ms windows and
 * has closed every connection its clients closed: on a saturated machine a server starved of CPU
 * looks idle while thousands of the last load's connections still wait for it (CLOSE-WAIT), and a
 * load started then is answered by nobody.
 */
export async function waitIdle(server, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  let last = cpuSeconds(server.pid);
  while (Date.now() < deadline && quiet < 2) {
    await sleep(250);
    const now = cpuSeconds(server.pid);
    quiet = now - last < 0.0125 && (await closingOn(server.port)) === 0 ? quiet + 1 : 0;
    last = now;
  }
  if (quiet < 2) log(`${server.name} still busy after ${timeoutMs} ms; measuring anyway`);
}

/**
 * RSS once it has settled (changed by under 1 MB over two 500 ms polls, at most `timeoutMs`): after
 * a heavy row it keeps shrinking for a while as the heap is collected and memory returned.
 */
export async function settledRssKb(pid, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  const group = withDescendants(pid);
  let last = procStatus(group).rssKb;
  let steady = 0;
  while (Date.now() < deadline && steady < 2) {
    await sleep(500);
    const now = procStatus(group).rssKb;
    steady = Math.abs(now - last) < 1024 ? steady + 1 : 0;
    last = now;
  }
  return last;
}

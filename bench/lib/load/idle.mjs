// Drives bench/load/idle-connections.mjs (a process of its own, with its own fd limit): open the
// idle connections, ask how many the server dropped, close them.
import { join } from 'node:path';
import { spawnWithFdLimit, stopChild, tail, track } from '../processes.mjs';
import { BENCH, NODE, ROOT } from '../settings.mjs';

export async function openIdleConnections({ port, count, fdLimit }) {
  const child = track(
    spawnWithFdLimit(fdLimit, NODE, [join(BENCH, 'load/idle-connections.mjs')], {
      cwd: ROOT,
      env: {
        ...process.env,
        KEEL_BENCH_PORT: String(port),
        KEEL_BENCH_IDLE_COUNT: String(count),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
    'idle connections',
  );
  const err = tail(child.stderr);
  const lines = [];
  const waiters = [];
  let buffered = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk) => {
    buffered += chunk;
    for (let i = buffered.indexOf('\n'); i !== -1; i = buffered.indexOf('\n')) {
      lines.push(buffered.slice(0, i));
      buffered = buffered.slice(i + 1);
      waiters.splice(0).forEach((wake) => wake());
    }
  });
  const nextLine = async (prefix, timeoutMs) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = lines.findIndex((l) => l.startsWith(`${prefix} `));
      if (index !== -1) return JSON.parse(lines.splice(index, 1)[0].slice(prefix.length + 1));
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`idle connections: no ${prefix} (exit ${child.exitCode}):\n${err.text}`);
      }
      await new Promise((wake) => {
        waiters.push(wake);
        setTimeout(wake, 250);
      });
    }
  };
  const ready = await nextLine('IDLE_READY', 120_000);
  return {
    ready,
    report: async () => {
      child.stdin.write('report\n');
      return nextLine('IDLE_REPORT', 30_000);
    },
    close: async () => {
      child.stdin.write('close\n');
      await stopChild(child, 'idle connections', 10_000);
    },
  };
}

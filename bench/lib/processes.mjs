// Everything the bench starts is registered here and stopped on the way out, also on Ctrl-C:
// child processes (servers, load generators), and undo steps (database, kernel settings) run
// last-registered first.
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { ROOT } from './settings.mjs';
import { log } from './log.mjs';

const children = new Map();
const undoSteps = [];
let cleaning;
export const state = { interrupted: false };

export function track(child, name, output) {
  children.set(child.pid, { child, name, output });
  child.once('exit', () => children.delete(child.pid));
  return child;
}

export const outputOf = (child) => children.get(child.pid);

/** An undo step run by cleanup(), after the children are stopped, newest first. */
export function onCleanup(step) {
  undoSteps.push(step);
}

export async function stopChild(child, name, graceMs = 12_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  try {
    process.kill(child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    // What still holds it open (seen once: the baseline's close waiting on a connection).
    const sockets = spawnSync(
      'bash',
      ['-c', `ss -tnp state all | grep "pid=${child.pid}," | awk '{print $1}' | sort | uniq -c`],
      { encoding: 'utf8' },
    ).stdout;
    if (sockets) log(`${name} sockets at the deadline:\n${sockets}`);
    const output = children.get(child.pid)?.output;
    log(
      `${name} (pid ${child.pid}) did not stop in ${graceMs} ms: SIGKILL${output ? `\n${output.text}` : ''}`,
    );
    kill(child.pid);
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

function kill(pid) {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone already */
  }
}

export function cleanup() {
  cleaning ??= (async () => {
    await Promise.all([...children.values()].map(({ child, name }) => stopChild(child, name)));
    for (const step of undoSteps.reverse()) {
      await step().catch((error) => log(`cleanup step failed: ${error.message}`));
    }
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    if (state.interrupted) {
      log(`second ${signal}: killing what is left and exiting`);
      for (const { child } of children.values()) kill(child.pid);
      process.exit(130);
    }
    state.interrupted = true;
    log(`${signal}: stopping everything this run started`);
    cleanup().finally(() => process.exit(130));
  });
}
// Last resort (e.g. an uncaught error path that skipped cleanup): never leave a child behind.
process.on('exit', () => {
  for (const { child } of children.values()) kill(child.pid);
});

/** The soft fd limit for children: the hard limit, which must hold the largest row. */
export function hardFdLimit() {
  const raw = spawnSync('bash', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim();
  return raw === 'unlimited' ? 1_048_576 : Number(raw);
}

/** Runs `command args` under bash with the soft fd limit raised to `fdLimit`, exec'd (same PID). */
/** The CPU each server runs on under BENCH_PIN=1; the runner and what it starts get the others. */
export const SERVER_CPU = '0';

/**
 * BENCH_PIN=1: moves every thread of this runner to the CPUs the servers do not use; PostgreSQL,
 * wrk and the OTLP sink, started from here, inherit them. Returns those CPUs, or undefined when
 * the machine has one CPU (nothing to separate).
 */
export function pinRunnerAwayFromServers() {
  const cpus = availableParallelism();
  if (cpus < 2) return undefined;
  const others = `1-${cpus - 1}`;
  const result = spawnSync('taskset', ['-a', '-p', '-c', others, String(process.pid)]);
  if (result.status !== 0) throw new Error(`taskset failed: ${result.stderr}`);
  return others;
}

export function spawnWithFdLimit(fdLimit, command, args, options, cpus) {
  const pin = cpus === undefined ? '' : `taskset -c ${cpus} `;
  return spawn(
    'bash',
    ['-c', `ulimit -n ${fdLimit} && exec ${pin}"$0" "$@"`, command, ...args],
    options,
  );
}

/** Keeps the last `max` characters a stream wrote, for error messages. */
export function tail(stream, max = 8_000) {
  const kept = { text: '' };
  stream?.setEncoding('utf8');
  stream?.on('data', (chunk) => {
    kept.text = (kept.text + chunk).slice(-max);
  });
  return kept;
}

/** Runs a command to completion (bounded by `timeoutMs`); resolves with its stdout. */
export function run(command, args, env, timeoutMs = 120_000) {
  return new Promise((done, fail) => {
    const child = track(
      spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] }),
      command,
    );
    const out = tail(child.stdout);
    const err = tail(child.stderr);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    // 'close': all of stdout has been read (see runLoad).
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) done(out.text);
      else
        fail(
          new Error(
            `${command} ${args.join(' ')} failed (${code ?? signal}):\n${err.text}${out.text}`,
          ),
        );
    });
  });
}

/**
 * Runs a load generator (wrk, the order client) under the fd limit and parses its `PREFIX {json}`
 * line; SIGKILLs it if it overruns its own duration by 30 s (e.g. hanging on 10k connects).
 */
export function runLoad(name, command, args, { env, fdLimit, seconds, prefix }) {
  return new Promise((done, fail) => {
    const child = track(
      spawnWithFdLimit(fdLimit, command, args, {
        cwd: ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
      name,
    );
    const out = tail(child.stdout, 64_000);
    const err = tail(child.stderr);
    const guard = setTimeout(
      () => {
        log(`${name} (pid ${child.pid}) overran ${seconds}s by 30 s: SIGKILL`);
        kill(child.pid);
      },
      (seconds + 30) * 1000,
    );
    // 'close', not 'exit': 'exit' may come before the last of stdout has been read, and the
    // report line is the last thing wrk prints (seen once in CI: exit 0 and no report).
    child.once('close', (code, signal) => {
      clearTimeout(guard);
      const line = out.text.split('\n').find((l) => l.startsWith(`${prefix} `));
      if (code !== 0 || !line) {
        fail(new Error(`${name} failed (${code ?? signal}):\n${err.text}${out.text}`));
        return;
      }
      done({
        ...JSON.parse(line.slice(prefix.length + 1)),
        text: out.text.replace(line, '').trim(),
      });
    });
  });
}

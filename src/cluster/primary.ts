import { createServer } from 'node:net';
import { InvalidEnvironment, type Environment } from '../config/environment.js';
import { validateEnvironment } from '../config/environment.js';
import type { DevelopmentDatabase } from '../database/development-database.js';
import { describeListenFailure } from '../http/listen-failure.js';
import { exitProcess } from '../lifecycle/exit-process.js';
import { StartupFailure } from '../lifecycle/startup-failure.js';
import { serveClusterMetrics } from './cluster-metrics.js';
import { preparePrimaryDatabase } from './primary-database.js';
import { primaryLog } from './primary-log.js';
import { PrimaryMetrics } from './primary-metrics.js';
import { WorkerPool } from './worker-pool.js';

/** After the workers' own bound (SHUTDOWN_TIMEOUT_MS), the primary gives them this long to exit. */
const EXIT_MARGIN_MS = 2000;

const running: { env?: Environment; embedded?: DevelopmentDatabase; pool?: WorkerPool } = {};

/**
 * The cluster primary (decisions 0175, 0176): validates the environment, checks the ports, owns the
 * embedded PostgreSQL, migrations and seed, forks WEB_CONCURRENCY workers that share the port, and
 * owns SIGINT/SIGTERM and the exit code. It serves no request itself.
 */
export function runPrimary(): void {
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  start().catch((error: unknown) => {
    process.stderr.write(
      error instanceof InvalidEnvironment || error instanceof StartupFailure
        ? `${error.message}\n`
        : `Keel failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    giveUp();
  });
}

async function start(): Promise<void> {
  const env = (running.env = validateEnvironment(process.env));
  await assertFree(env.HOST, env.PORT, 'PORT');
  if (env.MANAGEMENT_PORT !== undefined) {
    await assertFree(env.HOST, env.MANAGEMENT_PORT, 'MANAGEMENT_PORT');
  }
  running.embedded = await preparePrimaryDatabase(env);
  if (stopping) return;
  const metrics = new PrimaryMetrics();
  serveClusterMetrics(metrics.registry);
  running.pool = new WorkerPool(env.WEB_CONCURRENCY, metrics, (line) => {
    primaryLog('error', line);
    giveUp();
  });
  await running.pool.start();
  primaryLog('info', `${env.WEB_CONCURRENCY} workers serving on port ${env.PORT}`);
}

/** The one line for a taken port comes from here, not once per worker (issue 9, item 20). */
function assertFree(host: string, port: number, variable: string): Promise<void> {
  return new Promise((free, taken) => {
    const probe = createServer();
    probe.once('error', (error) => {
      const described = describeListenFailure(error, host, port, variable);
      taken(described instanceof Error ? described : error);
    });
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => free()));
  });
}

let stopping = false;

function onSignal(signal: NodeJS.Signals): void {
  if (stopping) {
    primaryLog(
      'error',
      `second ${signal}: killing ${running.pool?.alive().length ?? 0} workers, exiting now`,
    );
    running.pool?.killAll();
    leave(1, { now: true });
    return;
  }
  stopping = true;
  const pool = running.pool;
  if (!pool) {
    leave(0);
    return;
  }
  const timeoutMs = running.env!.SHUTDOWN_TIMEOUT_MS;
  primaryLog('info', `${signal}: draining ${pool.alive().length} workers`);
  const bound = setTimeout(() => {
    const stuck = pool.alive().map((w) => `worker ${w.id} (pid ${w.process.pid})`);
    primaryLog(
      'error',
      `shutdown exceeded SHUTDOWN_TIMEOUT_MS (${timeoutMs} ms): still running ${stuck.join(', ')}; killed`,
    );
    pool.killAll();
    leave(1);
  }, timeoutMs + EXIT_MARGIN_MS);
  bound.unref();
  void pool.stop().then((exits) => {
    clearTimeout(bound);
    const unclean = exits.filter((exit) => exit.code !== 0);
    if (unclean.length > 0) {
      const named = unclean.map(
        (e) => `worker ${e.id} (pid ${e.pid}) ${e.signal ?? `code ${e.code}`}`,
      );
      primaryLog('error', `workers did not stop cleanly: ${named.join(', ')}`);
    }
    leave(unclean.length > 0 ? 1 : 0);
  });
}

function giveUp(): void {
  stopping = true;
  running.pool?.killAll();
  leave(1);
}

/** The primary's way out (lifecycle/exit-process.ts): the embedded database stops first. */
function leave(code: number, { now = false } = {}): void {
  exitProcess(code, { stopFirst: running.embedded?.server, now });
}

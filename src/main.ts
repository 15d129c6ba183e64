import { Logger } from '@nestjs/common';
import { startClusterPrimary } from './cluster/cluster-primary.js';
import { isClusterWorker, onShutdownRequest } from './cluster/shutdown-request.js';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { InvalidEnvironment } from './config/environment.js';
import { loadEnvironment } from './config/load-environment.js';
import { describeListenBacklog } from './http/listen-backlog.js';
import { describeListenFailure } from './http/listen-failure.js';
import type { DevelopmentDatabase } from './database/development-database.js';
import { exitProcess } from './lifecycle/exit-process.js';
import type { ShutdownState } from './lifecycle/shutdown-state.js';
import { StartupFailure } from './lifecycle/startup-failure.js';
import { stopTracing } from './tracing/tracing-state.js';

/** Everything this process started, closed in reverse order on the way out. */
const running: {
  app?: NestFastifyApplication;
  embedded?: DevelopmentDatabase;
  shutdown?: ShutdownState;
  timeoutMs: number;
} = { timeoutMs: 20_000 };

async function start(): Promise<void> {
  const env = loadEnvironment();
  running.timeoutMs = env.SHUTDOWN_TIMEOUT_MS;

  if (!env.DATABASE_URL) {
    const { startDevelopmentDatabase } = await import('./database/development-database.js');
    running.embedded = await startDevelopmentDatabase();
    // From here on the embedded server is used exactly as a given DATABASE_URL would be.
    env.DATABASE_URL = process.env.DATABASE_URL = running.embedded.url;
  }

  if (env.NODE_ENV !== 'production' && !isClusterWorker()) {
    const { migrate, seed } = await import('./database/schema.js');
    const { ENTITIES, SEEDERS } = await import('./domains.js');
    const { directDatabaseUrl } = await import('./database/direct-url.js');
    const settings = { url: env.DATABASE_URL, poolMax: 2, entities: ENTITIES };
    // The same locked path as `npm run db:migrate` (database/migration-lock.ts).
    await migrate({ ...settings, url: running.embedded?.url ?? directDatabaseUrl(env)! });
    await seed(settings, SEEDERS);
  }

  // Imported only now: the modules read the environment completed above.
  const { createApp } = await import('./http/create-app.js');
  const { ShutdownState } = await import('./lifecycle/shutdown-state.js');
  running.app = await createApp(env);
  running.shutdown = running.app.get(ShutdownState);
  await running.app
    .listen({ host: env.HOST, port: env.PORT, backlog: env.LISTEN_BACKLOG })
    .catch((error: unknown) => {
      throw describeListenFailure(error, env.HOST, env.PORT);
    });
  new Logger('Keel').log(
    `serving on http://${env.HOST === '0.0.0.0' ? 'localhost' : env.HOST}:${env.PORT} (docs at /docs), ` +
      describeListenBacklog(env.LISTEN_BACKLOG) +
      (running.embedded ? `, embedded PostgreSQL under ${running.embedded.server.dataDir}` : ''),
  );
}

/** Spans still buffered get this long to reach the collector on the way out. */
const TRACE_FLUSH_TIMEOUT_MS = 2000;

/**
 * Nest's lifecycle does the ordered work (lifecycle/graceful-shutdown.ts): readiness 503, drain
 * delay, HTTP drain, job workers, then the ORM. Then the last spans are exported (tracing on), and
 * the embedded database, if any, stops last.
 */
async function stop(): Promise<void> {
  running.shutdown?.enter('draining');
  await running.app?.close();
  await stopTracing(TRACE_FLUSH_TIMEOUT_MS);
  await running.embedded?.server.stop();
}

/** The one owner of SIGINT/SIGTERM and of the exit code. A second signal exits at once. */
let stopping = false;
function onSignal(signal: NodeJS.Signals): void {
  if (stopping) {
    report(`second ${signal}: exiting now, during ${running.shutdown?.phase ?? 'start-up'}`);
    exitProcess(1);
  }
  stopping = true;
  const bound = setTimeout(() => {
    report(
      `shutdown exceeded SHUTDOWN_TIMEOUT_MS (${running.timeoutMs} ms), stuck in ${running.shutdown?.phase ?? 'start-up'}`,
    );
    exitProcess(1, { stopFirst: running.embedded?.server });
  }, running.timeoutMs);
  bound.unref();
  stop().then(
    () => exitProcess(0),
    (error: unknown) => {
      report(`Keel did not stop cleanly: ${describe(error)}`);
      exitProcess(1);
    },
  );
}

/** Before the logger exists, and after it is gone, stderr is the only channel. */
function report(line: string): void {
  process.stderr.write(
    `${JSON.stringify({ level: 50, time: Date.now(), context: 'Shutdown', msg: line })}\n`,
  );
}

function describe(error: unknown): string {
  if (error instanceof InvalidEnvironment || error instanceof StartupFailure) return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

// WEB_CONCURRENCY above 1 makes this process the cluster primary, which runs no app (src/cluster/).
if (!(await startClusterPrimary())) {
  onShutdownRequest(onSignal);
  start().catch(async (error: unknown) => {
    process.stderr.write(
      error instanceof InvalidEnvironment
        ? `${error.message}\n`
        : `Keel failed to start: ${describe(error)}\n`,
    );
    await stop().catch(() => undefined);
    exitProcess(1);
  });
}

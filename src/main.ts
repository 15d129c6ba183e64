import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { InvalidEnvironment } from './config/environment.js';
import { loadEnvironment } from './config/load-environment.js';
import type { DevelopmentDatabase } from './database/development-database.js';

/** Everything this process started, closed in reverse order on the way out. */
const running: { app?: NestFastifyApplication; embedded?: DevelopmentDatabase } = {};

async function start(): Promise<void> {
  const env = loadEnvironment();

  if (!env.DATABASE_URL) {
    const { startDevelopmentDatabase } = await import('./database/development-database.js');
    running.embedded = await startDevelopmentDatabase();
    // From here on the embedded server is used exactly as a given DATABASE_URL would be.
    env.DATABASE_URL = process.env.DATABASE_URL = running.embedded.url;
  }

  if (env.NODE_ENV !== 'production') {
    const { migrate, seed } = await import('./database/schema.js');
    const settings = { url: env.DATABASE_URL, poolMax: 2 };
    await migrate(settings);
    await seed(settings);
  }

  // Imported only now: the modules read the environment completed above.
  const { createApp } = await import('./http/create-app.js');
  running.app = await createApp(env);
  await running.app.listen({ host: env.HOST, port: env.PORT });
}

async function stop(): Promise<void> {
  await running.app?.close();
  await running.embedded?.server.stop();
}

/** The one owner of SIGINT/SIGTERM and of the exit code. A second signal exits at once. */
let stopping = false;
function onSignal(): void {
  if (stopping) exit(1);
  stopping = true;
  stop().then(
    () => exit(0),
    (error: unknown) => {
      process.stderr.write(`Keel did not stop cleanly: ${describe(error)}\n`);
      exit(1);
    },
  );
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

function exit(code: number): never {
  process.exit(code);
}

function describe(error: unknown): string {
  if (error instanceof InvalidEnvironment) return error.message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

start().catch(async (error: unknown) => {
  process.stderr.write(
    error instanceof InvalidEnvironment
      ? `${error.message}\n`
      : `Keel failed to start: ${describe(error)}\n`,
  );
  await stop().catch(() => undefined);
  exit(1);
});

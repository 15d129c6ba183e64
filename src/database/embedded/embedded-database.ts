import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StartupFailure } from '../../lifecycle/startup-failure.js';
import { prepareEmbeddedLocation } from './embedded-location.js';
import type { FailedMessage, ReadyMessage, SupervisorPlan } from './embedded-postgres.process.js';

export interface EmbeddedDatabase {
  /** Connection URL of the server's `postgres` maintenance database. */
  readonly serverUrl: string;
  /** Where the data really is: the given folder, or its machine folder as root (decision 0060). */
  readonly dataDir: string;
  /** Stops PostgreSQL and waits until it has exited. */
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 60_000;

function supervisorScript(): string {
  // Same extension as this module: `.ts` under the test runner, `.js` once built.
  const ext = extname(fileURLToPath(import.meta.url));
  const script = fileURLToPath(new URL(`./embedded-postgres.process${ext}`, import.meta.url));
  if (!existsSync(script)) throw new Error(`embedded PostgreSQL launcher not found at ${script}`);
  return script;
}

/**
 * Starts (initialising on first use) a real PostgreSQL server whose data lives in `dataDir`, or,
 * when we are root, in a machine folder the `postgres` user can reach (embedded-location.ts).
 * Failures the user can act on reject with a one-line StartupFailure.
 */
export async function startEmbeddedDatabase(dataDir: string): Promise<EmbeddedDatabase> {
  const plan: SupervisorPlan = prepareEmbeddedLocation(dataDir);
  const child = fork(supervisorScript(), [JSON.stringify(plan)], {
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  return new Promise((resolveStart, rejectStart) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      rejectStart(
        new StartupFailure(`embedded PostgreSQL did not start within ${STARTUP_TIMEOUT_MS} ms`),
      );
    }, STARTUP_TIMEOUT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rejectStart(new Error(`embedded PostgreSQL exited during start (code ${code})`));
    });
    child.on('message', (message: ReadyMessage | FailedMessage) => {
      clearTimeout(timer);
      if (message.type === 'failed') {
        rejectStart(
          new StartupFailure(
            `embedded PostgreSQL failed to start: ${message.message} (log: ${plan.dataDir}.log)`,
          ),
        );
        return;
      }
      resolveStart({
        serverUrl: `postgres://postgres:postgres@127.0.0.1:${message.port}/postgres`,
        dataDir: plan.dataDir,
        async stop() {
          if (child.connected) child.disconnect();
          await exited;
        },
      });
    });
  });
}

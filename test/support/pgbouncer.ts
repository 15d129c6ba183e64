import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './free-port.js';

const SCRIPT = resolve('.ci/pgbouncer.sh');

export interface PgBouncer {
  /** `serverUrl` with the pooler's port in place of the server's. */
  url: string;
  port: number;
  /** Immediate shutdown (SIGTERM, PgBouncer < 1.23): clients see their connections go, new ones refused. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /** Stops it for good and removes its configuration. */
  dispose(): Promise<void>;
}

function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });
}

/** Whether PgBouncer is installed (Debian's package puts it in /usr/sbin). */
export function pgBouncerInstalled(): boolean {
  return ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer'].some((path) => existsSync(path));
}

/**
 * Debian's PgBouncer in transaction mode in front of `serverUrl`'s PostgreSQL (.ci/pgbouncer.sh),
 * on a free port with `poolSize` server connections per database. Ended by its own pid only.
 */
export async function startPgBouncer(
  serverUrl: string,
  { poolSize = 5, queryWaitTimeoutSeconds = 10 } = {},
): Promise<PgBouncer> {
  const server = new URL(serverUrl);
  const dir = mkdtempSync(join(tmpdir(), 'keel-pgbouncer-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let output = '';

  const start = async (): Promise<void> => {
    const env = {
      ...process.env,
      SERVER_HOST: server.hostname,
      SERVER_PORT: server.port || '5432',
      SERVER_USER: decodeURIComponent(server.username) || 'postgres',
      SERVER_PASSWORD: decodeURIComponent(server.password),
      QUERY_WAIT_TIMEOUT: String(queryWaitTimeoutSeconds),
    };
    const started = spawn('bash', [SCRIPT, dir, String(port), String(poolSize)], { env });
    started.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    started.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child = started;
    const deadline = Date.now() + 10_000;
    while (!(await listening(port))) {
      if (started.exitCode !== null || Date.now() > deadline)
        throw new Error(`pgbouncer did not start on port ${port}:\n${output}`);
      await new Promise((wait) => setTimeout(wait, 100));
    }
  };
  const stop = async (): Promise<void> => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((done) => running.once('exit', done));
    running.kill('SIGTERM');
    await exited;
  };

  await start();
  const url = new URL(serverUrl);
  url.port = String(port);
  return {
    url: url.toString(),
    port,
    stop,
    start,
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

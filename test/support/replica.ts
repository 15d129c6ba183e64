import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/** The machine's PostgreSQL programs (Debian's postgresql-15); PG_BIN_DIR points elsewhere. */
export const PG_BIN_DIR = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

/** Whether the programs a scratch primary and its replica need are installed. */
export function postgresProgramsInstalled(): boolean {
  return ['initdb', 'pg_ctl', 'pg_basebackup'].every((name) => existsSync(join(PG_BIN_DIR, name)));
}

const asRoot = process.getuid?.() === 0;

/** PostgreSQL refuses to run as root: as root, its programs run as the `postgres` user. */
async function pgProgram(name: string, args: string[]): Promise<string> {
  const program = join(PG_BIN_DIR, name);
  const [file, argv] = asRoot
    ? ['runuser', ['-u', 'postgres', '--', program, ...args]]
    : [program, args];
  try {
    const { stdout } = await run(file, argv, { timeout: 120_000 });
    return stdout;
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`${name} ${args.join(' ')} failed: ${stderr || stdout || String(error)}`, {
      cause: error,
    });
  }
}

/**
 * A folder the postgres user owns, outside any 0700 folder (mkdtemp makes its own folder 0700:
 * opened to 0755 first, and the data directory beneath it is PostgreSQL's own, 0700).
 */
function scratchFolder(purpose: string): string {
  const folder = mkdtempSync(join(tmpdir(), `keel-${purpose}-`));
  chmodSync(folder, 0o755);
  return folder;
}

async function chownToPostgres(path: string): Promise<void> {
  if (asRoot) await run('chown', ['-R', 'postgres:postgres', path]);
}

/** A PostgreSQL server this helper started: its own data directory, its own free port. */
export interface ScratchServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: swap the database with `withDatabase`. */
  url: string;
  port: number;
  dataDir: string;
  /** `pg_ctl stop -m fast`: sessions are cut, new connections refused. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it for good and removes its files. */
  dispose(): Promise<void>;
}

function scratchServer(folder: string, dataDir: string, port: number): ScratchServer {
  let running = true;
  const logFile = join(folder, 'server.log');
  const start = async (): Promise<void> => {
    await pgProgram('pg_ctl', ['start', '-w', '-t', '60', '-D', dataDir, '-l', logFile]);
    running = true;
  };
  const stop = async (): Promise<void> => {
    if (!running) return;
    running = false;
    await pgProgram('pg_ctl', ['stop', '-w', '-t', '60', '-m', 'fast', '-D', dataDir]);
  };
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir,
    stop,
    start,
    async dispose() {
      await stop().catch(() => undefined);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

/** Settings written to a server's postgresql.auto.conf before it starts. */
function autoConf(
  dataDir: string,
  settings: Record<string, string | number>,
  append = false,
): void {
  const lines = Object.entries(settings)
    .map(([name, value]) => `${name} = '${value}'`)
    .join('\n');
  writeFileSync(join(dataDir, 'postgresql.auto.conf'), `${lines}\n`, {
    flag: append ? 'a' : 'w',
  });
}

export interface ScratchPrimaryOptions {
  /** `max_connections` (100): the rehearsal's small primary admits 40. */
  maxConnections?: number;
}

/**
 * A fresh primary (initdb, trust on 127.0.0.1, replication allowed, `wal_level = replica`) on a
 * free port, as the postgres user when root. Ended by its own `pg_ctl stop`, never by name.
 */
export async function startScratchPrimary({
  maxConnections = 100,
}: ScratchPrimaryOptions = {}): Promise<ScratchServer> {
  const folder = scratchFolder('primary');
  const dataDir = join(folder, 'data');
  await chownToPostgres(folder);
  await pgProgram('initdb', [
    '-D',
    dataDir,
    '-U',
    'postgres',
    '--auth=trust',
    '--no-sync',
    '--encoding=UTF8',
    '--locale=C',
  ]);
  const port = await freePort();
  autoConf(dataDir, {
    port,
    listen_addresses: '127.0.0.1',
    unix_socket_directories: folder,
    max_connections: maxConnections,
    wal_level: 'replica',
    max_wal_senders: 10,
    // Scratch data: a crash loses nothing worth an fsync.
    fsync: 'off',
    full_page_writes: 'off',
  });
  await chownToPostgres(folder);
  const server = scratchServer(folder, dataDir, port);
  await server.start();
  return server;
}

/** A streaming replica of a primary: a read-only server that replays its WAL. */
export interface StreamingReplica extends ScratchServer {
  /** Stops replaying (`pg_wal_replay_pause()`): WAL still arrives, the data stays as it was. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
  /** `pg_last_wal_replay_lsn()`, e.g. `0/3000148`. */
  replayLsn(): Promise<string>;
  /** Resolves once the replica has replayed the primary's current WAL position. */
  caughtUp(primaryUrl: string, timeoutMs?: number): Promise<void>;
}

export interface ReplicaOptions {
  /** `recovery_min_apply_delay`: every commit shows on the replica this long after the primary. */
  applyDelayMs?: number;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/**
 * A streaming replica of `primaryUrl`'s server (which must allow replication connections from
 * 127.0.0.1, as startScratchPrimary's does), made with `pg_basebackup -R`, on a free port, with
 * its replay delayed by `applyDelayMs` (500 ms). Read-only (`hot_standby`), as production's.
 */
export async function startStreamingReplica(
  primaryUrl: string,
  { applyDelayMs = 500 }: ReplicaOptions = {},
): Promise<StreamingReplica> {
  const primary = new URL(primaryUrl);
  const folder = scratchFolder('replica');
  const dataDir = join(folder, 'data');
  await chownToPostgres(folder);
  const port = await freePort();
  await pgProgram('pg_basebackup', [
    '-h',
    primary.hostname,
    '-p',
    primary.port || '5432',
    '-U',
    decodeURIComponent(primary.username) || 'postgres',
    '-D',
    dataDir,
    '-X',
    'stream',
    '-R',
    '--checkpoint=fast',
    '--no-sync',
  ]);
  // -R wrote primary_conninfo into postgresql.auto.conf and made standby.signal; what the
  // primary's auto.conf said (its port, its socket folder) came along and is overridden here.
  autoConf(
    dataDir,
    {
      port,
      unix_socket_directories: folder,
      hot_standby: 'on',
      recovery_min_apply_delay: `${applyDelayMs}ms`,
    },
    true,
  );
  await chownToPostgres(folder);
  const server = scratchServer(folder, dataDir, port);
  await server.start();
  const replicaAdmin = server.url;
  const replayLsn = async (): Promise<string> =>
    (await query<{ lsn: string }>(replicaAdmin, 'select pg_last_wal_replay_lsn()::text as lsn'))[0]
      .lsn;
  return {
    ...server,
    replayLsn,
    async pauseReplay() {
      await query(replicaAdmin, 'select pg_wal_replay_pause()');
    },
    async resumeReplay() {
      await query(replicaAdmin, 'select pg_wal_replay_resume()');
    },
    async caughtUp(primaryServerUrl: string, timeoutMs = 30_000) {
      const [{ lsn }] = (await query<{ lsn: string }>(
        primaryServerUrl,
        'select pg_current_wal_lsn()::text as lsn',
      )) as [{ lsn: string }];
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [{ behind }] = (await query<{ behind: boolean }>(
          replicaAdmin,
          `select pg_last_wal_replay_lsn() < '${lsn}'::pg_lsn as behind`,
        )) as [{ behind: boolean }];
        if (!behind) return;
        if (Date.now() > deadline)
          throw new Error(`replica did not replay ${lsn} in ${timeoutMs} ms`);
        await new Promise((wait) => setTimeout(wait, 100));
      }
    },
  };
}

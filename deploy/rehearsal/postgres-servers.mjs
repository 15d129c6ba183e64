// Scratch PostgreSQL servers for `npm run rehearse:scale`: a primary made with initdb and a
// streaming replica made from it with pg_basebackup, each with its own port and data folder under
// the rehearsal's folder. PostgreSQL refuses to run as root: as root every command runs as the
// postgres user, who must be able to enter the folder (the caller makes it 0755, not 0700).
import { execFile, execFileSync } from 'node:child_process';
import {
  appendFileSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
} from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Where Debian puts the server binaries (initdb and pg_ctl are not on PATH there). */
export function findPostgresBin() {
  const candidates = [
    process.env.PG_BIN,
    '/usr/lib/postgresql/15/bin',
    '/usr/lib/postgresql/16/bin',
  ]
    .filter(Boolean)
    .concat(
      existsSync('/usr/lib/postgresql')
        ? readdirSync('/usr/lib/postgresql').map((version) => `/usr/lib/postgresql/${version}/bin`)
        : [],
    );
  const found = candidates.find((dir) => existsSync(join(dir, 'pg_ctl')));
  if (!found) throw new Error('PostgreSQL server binaries (pg_ctl, initdb) not found: set PG_BIN');
  return found;
}

const asRoot = userInfo().uid === 0;

/** A command as the postgres user when running as root, as the current user otherwise. */
function asServerUser(command, args) {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
}

/** A folder the server user owns (as root: chowned to postgres). */
export function serverOwnedFolder(path) {
  mkdirSync(path, { recursive: true, mode: 0o755 });
  if (asRoot) {
    const { uid, gid } = postgresIds();
    chownSync(path, uid, gid);
  }
  return path;
}

function postgresIds() {
  const id = (flag) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }));
  return { uid: id('-u'), gid: id('-g') };
}

export class PostgresServer {
  constructor({ name, dir, port, bin }) {
    this.name = name;
    this.dataDir = join(dir, name);
    this.logFile = join(dir, `${name}.log`);
    this.port = port;
    this.bin = bin;
    this.stops = [];
    this.running = false;
  }

  async exec(program, args, options = {}) {
    const [command, fullArgs] = asServerUser(join(this.bin, program), args);
    return run(command, fullArgs, { timeout: 120_000, ...options });
  }

  url(database) {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** initdb with trust for 127.0.0.1 (replication included), then the settings given. */
  async initPrimary(settings) {
    await this.exec('initdb', [
      '-D',
      this.dataDir,
      '-U',
      'postgres',
      '--auth=trust',
      '--no-sync',
      '--encoding=UTF8',
      '--locale=C',
    ]);
    this.configure(settings);
  }

  /** A copy of `primary` that streams from it (-R writes primary_conninfo and standby.signal). */
  async cloneFrom(primary, settings) {
    await this.exec('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(primary.port),
      '-U',
      'postgres',
      '-D',
      this.dataDir,
      '-R',
      '-X',
      'stream',
      '--checkpoint=fast',
      '--no-sync',
    ]);
    this.configure(settings);
  }

  /** Appended to postgresql.auto.conf: read after postgresql.conf, so these win. */
  configure(settings) {
    const lines = Object.entries({
      port: this.port,
      listen_addresses: "'127.0.0.1'",
      unix_socket_directories: "''",
      ...settings,
    }).map(([key, value]) => `${key} = ${value}`);
    const file = join(this.dataDir, 'postgresql.auto.conf');
    const [command, args] = asServerUser('sh', ['-c', `cat >> '${file}'`]);
    if (asRoot) {
      execFileSync(command, args, { input: `${lines.join('\n')}\n` });
    } else {
      appendFileSync(file, `${lines.join('\n')}\n`);
    }
  }

  async start() {
    await this.exec('pg_ctl', ['start', '-w', '-t', '60', '-D', this.dataDir, '-l', this.logFile]);
    this.running = true;
  }

  /** `pg_ctl stop`; its exit status is kept (every process must exit 0). */
  async stop(mode = 'fast') {
    if (!this.running) return;
    let code = 0;
    try {
      await this.exec('pg_ctl', ['stop', '-w', '-t', '60', '-m', mode, '-D', this.dataDir]);
    } catch (error) {
      code = typeof error.code === 'number' ? error.code : 1;
    }
    this.running = false;
    this.stops.push({ mode, code });
    return code;
  }

  /** The server's own log, for figures ("too many clients") and for a failure's tail. */
  log() {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }
}

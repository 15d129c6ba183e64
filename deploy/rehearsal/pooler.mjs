// PgBouncer in transaction pooling mode in front of the scratch primary and its replica, as
// .ci/pgbouncer.sh runs it (Debian's 1.18: SIGINT is the safe shutdown, SIGTERM an immediate one
// before 1.23; as root it runs as postgres with -u). Two pooled databases, one per server, each
// with a fixed server pool: PostgreSQL sees those connections, never the instances' pools.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

export function findPgbouncer() {
  const onPath = spawnSync('sh', ['-c', 'command -v pgbouncer'], {
    encoding: 'utf8',
  }).stdout.trim();
  const found = onPath || ['/usr/sbin/pgbouncer', '/usr/local/bin/pgbouncer'].find(existsSync);
  if (!found)
    throw new Error('pgbouncer not found: install it (Debian: apt-get install -y pgbouncer)');
  return found;
}

/** `databases`: name → { port, dbname, poolSize }. */
export function pgbouncerConfig({ port, dir, databases, queryWaitTimeoutSeconds }) {
  return `[databases]
${Object.entries(databases)
  .map(
    ([name, server]) =>
      `${name} = host=127.0.0.1 port=${server.port} dbname=${server.dbname} pool_size=${server.poolSize}`,
  )
  .join('\n')}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = trust
auth_file = ${join(dir, 'users.txt')}
admin_users = postgres
pool_mode = transaction
max_client_conn = 2000
ignore_startup_parameters = extra_float_digits
query_wait_timeout = ${queryWaitTimeoutSeconds}
server_login_retry = 1
`;
}

export class Pgbouncer {
  constructor({ dir, port, databases, queryWaitTimeoutSeconds = 10 }) {
    this.port = port;
    this.dir = dir;
    this.configFile = join(dir, 'pgbouncer.ini');
    this.output = '';
    writeFileSync(join(dir, 'users.txt'), '"postgres" ""\n', { mode: 0o644 });
    writeFileSync(
      this.configFile,
      pgbouncerConfig({ port, dir, databases, queryWaitTimeoutSeconds }),
      { mode: 0o644 },
    );
  }

  url(database) {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  async start() {
    const args = userInfo().uid === 0 ? ['-u', 'postgres', this.configFile] : [this.configFile];
    this.child = spawn(findPgbouncer(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout.on('data', (chunk) => (this.output += chunk));
    this.child.stderr.on('data', (chunk) => (this.output += chunk));
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve((this.exit = { code, signal }))),
    );
    for (let tries = 0; tries < 100; tries++) {
      if (this.exit) break;
      const client = new pg.Client({ connectionString: this.url('pgbouncer') });
      try {
        await client.connect();
        await client.end();
        return;
      } catch {
        await sleep(100);
      }
    }
    throw new Error(`pgbouncer did not start:\n${this.output}`);
  }

  /** `SHOW POOLS` on the admin console: per pooled database, server connections and waiting clients. */
  async pools() {
    const client = new pg.Client({ connectionString: this.url('pgbouncer') });
    await client.connect();
    try {
      const { rows } = await client.query('SHOW POOLS');
      return rows;
    } finally {
      await client.end();
    }
  }

  /** SIGINT: the safe shutdown (waits for clients); SIGKILL after `graceMs`. */
  async stop(graceMs = 10_000) {
    if (!this.child || this.exit) return this.exit;
    this.child.kill('SIGINT');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    writeFileSync(join(this.dir, 'pgbouncer.log'), this.output);
    return this.exit;
  }
}

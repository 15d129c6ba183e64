// HAProxy in front of the instances, as a Kubernetes Service or an ingress would be: it routes
// only to servers whose `GET /health/ready` answers 200, and marks each response with the server
// that answered. Controlled through its runtime API (a unix socket).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const SERVED_BY = 'x-served-by';

/** The haproxy binary: on PATH, or where Debian's package puts it. */
export function findHaproxy() {
  const onPath = spawnSync('sh', ['-c', 'command -v haproxy'], { encoding: 'utf8' }).stdout.trim();
  const found = onPath || ['/usr/sbin/haproxy', '/usr/local/sbin/haproxy'].find(existsSync);
  if (!found) throw new Error('haproxy not found: install it (Debian: apt-get install -y haproxy)');
  return found;
}

/**
 * `servers`: every instance that will ever exist, `{ name, port, enabled }`; the replacements
 * start disabled (maintenance) and are enabled once they run, as pods join a Service.
 * No retries and no redispatch: a request that fails on an instance fails for the client, so the
 * rehearsal sees every failure Keel causes instead of HAProxy hiding it.
 */
export function haproxyConfig({ port, socket, servers, settings }) {
  return `global
  stats socket ${socket} mode 600 level admin
  maxconn 2000

defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout http-keep-alive 30s
  timeout check ${settings.checkTimeoutMs}ms
  retries 0
  option httpchk
  http-check send meth GET uri /health/ready
  http-check expect status 200
  default-server inter ${settings.checkIntervalMs}ms fall ${settings.fall} rise ${settings.rise}

frontend keel_in
  bind 127.0.0.1:${port}
  default_backend keel

backend keel
  balance roundrobin
  http-response set-header ${SERVED_BY} %[srv_name]
${servers
  .map(
    (server) =>
      `  server ${server.name} 127.0.0.1:${server.port} check${server.enabled ? '' : ' disabled'}`,
  )
  .join('\n')}
`;
}

export class Haproxy {
  constructor({ dir, port, servers, settings }) {
    this.port = port;
    this.base = `http://127.0.0.1:${port}`;
    this.socket = join(dir, 'haproxy.sock');
    this.configFile = join(dir, 'haproxy.cfg');
    this.output = '';
    writeFileSync(this.configFile, haproxyConfig({ port, socket: this.socket, servers, settings }));
  }

  async start() {
    const binary = findHaproxy();
    const check = spawnSync(binary, ['-c', '-f', this.configFile], { encoding: 'utf8' });
    if (check.status !== 0)
      throw new Error(`haproxy config invalid:\n${check.stderr}${check.stdout}`);
    this.child = spawn(binary, ['-db', '-f', this.configFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout.on('data', (chunk) => (this.output += chunk));
    this.child.stderr.on('data', (chunk) => (this.output += chunk));
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve((this.exit = { code, signal }))),
    );
    for (let tries = 0; tries < 50 && !existsSync(this.socket); tries++) await sleep(100);
    if (!existsSync(this.socket)) throw new Error(`haproxy did not start:\n${this.output}`);
  }

  /** One runtime API command; resolves with its answer. */
  command(line) {
    return new Promise((resolve, reject) => {
      let answer = '';
      const client = connect(this.socket, () => client.end(`${line}\n`));
      client.on('data', (chunk) => (answer += chunk));
      client.on('end', () => resolve(answer));
      client.on('error', reject);
    });
  }

  /** Per server of the backend: status (UP, DOWN, MAINT, ...) and HAProxy's own counters. */
  async servers() {
    const [header, ...rows] = (await this.command('show stat'))
      .replace(/^# /, '')
      .trim()
      .split('\n')
      .map((row) => row.split(','));
    const column = (row, name) => row[header.indexOf(name)];
    return Object.fromEntries(
      rows
        .filter(
          (row) =>
            column(row, 'pxname') === 'keel' &&
            !['BACKEND', 'FRONTEND'].includes(column(row, 'svname')),
        )
        .map((row) => [
          column(row, 'svname'),
          {
            status: column(row, 'status'),
            sessions: Number(column(row, 'stot')),
            connectionErrors: Number(column(row, 'econ')),
            responseErrors: Number(column(row, 'eresp')),
            retries: Number(column(row, 'wretr')),
            redispatches: Number(column(row, 'wredis')),
            http5xx: Number(column(row, 'hrsp_5xx')),
          },
        ]),
    );
  }

  async waitForStatus(server, wanted, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const status = (await this.servers())[server]?.status ?? 'missing';
      if (wanted.test(status)) return;
      if (Date.now() > deadline) {
        throw new Error(`haproxy: ${server} is ${status}, not ${wanted} after ${timeoutMs} ms`);
      }
      await sleep(100);
    }
  }

  enable(server) {
    return this.command(`enable server keel/${server}`);
  }

  disable(server) {
    return this.command(`disable server keel/${server}`);
  }

  /** Soft stop (SIGUSR1): stops listening, lets open connections finish, then exits. */
  async stop(graceMs = 5000) {
    if (!this.child || this.exit) return this.exit;
    this.child.kill('SIGUSR1');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
    return this.exit;
  }
}

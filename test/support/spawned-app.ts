import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { freePort } from './free-port.js';

export const MAIN = resolve('dist/main.js');
/** Loaded with --import before the app, as `npm start` and `start:prod` do; inert unless OTEL_* ask. */
export const TRACING_PRELOAD = resolve('dist/tracing/preload.js');

export interface SpawnedApp {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; afterMs: number }>;
}

/**
 * What a spawned app gets from the test run: the path, the test accounts and secrets, and the job
 * settings (jest.config.js). Without JOB_WORKERS=false every spawned app ran workers and took the
 * due jobs of whichever suite shared its database (issue 9, item 12).
 */
function inheritedTestEnv(): Record<string, string | undefined> {
  const keys = [
    'PATH',
    'HOME',
    'JWT_SECRET',
    'ADMIN_EMAIL',
    'ADMIN_PASSWORD',
    'AUTH_RATE_LIMIT_PER_MINUTE',
    'JOB_WORKERS',
    'ORDER_CONFIRM_DELAY_MS',
  ];
  return Object.fromEntries(keys.map((key) => [key, process.env[key]]));
}

/** Logs in to a spawned app as the test admin; returns the headers that authenticate as it. */
export async function adminHeadersFor(base: string): Promise<Record<string, string>> {
  const response = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD }),
  });
  if (response.status !== 200) throw new Error(`login answered ${response.status}`);
  const { accessToken } = (await response.json()) as { accessToken: string };
  return { authorization: `Bearer ${accessToken}` };
}

export interface SpawnOptions {
  /** false: plain `node dist/main.js`, without the tracing preload. */
  preload?: boolean;
  /** How long startBuiltApp waits for the liveness probe (20 s). */
  startTimeoutMs?: number;
}

/** Runs the built app as a separate process, the way `npm start` and `start:prod` do. */
export function spawnApp(
  env: Record<string, string | undefined>,
  cwd = process.cwd(),
  { preload = true }: SpawnOptions = {},
): SpawnedApp {
  const startedAt = Date.now();
  const args = preload ? ['--import', TRACING_PRELOAD, MAIN] : [MAIN];
  const child = spawn(process.execPath, args, {
    cwd,
    // Unset (undefined) entries are left out, so a test can remove an inherited variable.
    env: Object.fromEntries(
      Object.entries({ ...inheritedTestEnv(), LOG_LEVEL: 'warn', ...env }).filter(
        ([, value]) => value !== undefined,
      ),
    ),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    afterMs: number;
  }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal, afterMs: Date.now() - startedAt })),
  );
  return { child, output: () => output, exited };
}

/** Polls until the URL answers 200, or fails after `timeoutMs`. */
export async function waitUntilServing(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((wait) => setTimeout(wait, 200));
  }
}

export interface BuiltApp extends SpawnedApp {
  base: string;
  port: number;
}

/**
 * The built app in production mode on the run's test database and a free port, once it answers
 * its liveness probe. `env` adds to or overrides the defaults.
 */
export async function startBuiltApp(
  env: Record<string, string | undefined> = {},
  options: SpawnOptions = {},
): Promise<BuiltApp> {
  const port = await freePort();
  const app = spawnApp(
    {
      NODE_ENV: 'production',
      DATABASE_URL: process.env.DATABASE_URL,
      DATABASE_DIRECT_URL: process.env.DATABASE_DIRECT_URL,
      PORT: String(port),
      HOST: '127.0.0.1',
      SHUTDOWN_DRAIN_DELAY_MS: '0',
      ...env,
    },
    process.cwd(),
    options,
  );
  const base = `http://127.0.0.1:${port}`;
  try {
    // With MANAGEMENT_PORT the probes are served there, not on PORT.
    const probes = env.MANAGEMENT_PORT ? `http://127.0.0.1:${env.MANAGEMENT_PORT}` : base;
    await waitUntilServing(`${probes}/health/live`, options.startTimeoutMs ?? 20_000);
  } catch (error) {
    // A process that never served would outlive the suite, holding its port and its CPU.
    app.child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}; its output:\n${app.output()}`, { cause: error });
  }
  return { ...app, base, port };
}

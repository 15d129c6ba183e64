import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const MAIN = resolve('dist/main.js');

export interface SpawnedApp {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; afterMs: number }>;
}

/** Runs the built app as a separate process, the way `npm start` and `start:prod` do. */
export function spawnApp(env: Record<string, string | undefined>, cwd = process.cwd()): SpawnedApp {
  const startedAt = Date.now();
  const child = spawn(process.execPath, [MAIN], {
    cwd,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'warn',
      ...env,
    },
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

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { embeddedDataDir } from '../src/database/embedded/embedded-location.js';
import { freePort } from './support/free-port.js';
import { type SpawnedApp, spawnApp, waitUntilServing } from './support/spawned-app.js';

/** What a user sees on stderr: exactly one line, no stack trace (issue 9, item 20). */
function expectOneClearLine(app: SpawnedApp, stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(app.output()).not.toMatch(/\n\s+at /);
}

function stderrOf(app: SpawnedApp): () => string {
  let stderr = '';
  app.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return () => stderr;
}

const pidsOf = (pattern: string): number[] =>
  execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(pattern))
    .map((line) => Number(line.trim().split(/\s+/)[0]));

describe('start-up failures: one clear line and exit 1', () => {
  it('names the port when it is already taken', async () => {
    const port = await freePort();
    const holder: Server = createServer();
    await new Promise<void>((listening) => holder.listen(port, '127.0.0.1', listening));
    try {
      const app = spawnApp({
        NODE_ENV: 'production',
        DATABASE_URL: process.env.DATABASE_URL,
        HOST: '127.0.0.1',
        PORT: String(port),
      });
      const stderr = stderrOf(app);
      const { code, afterMs } = await app.exited;
      expect(code).toBe(1);
      expectOneClearLine(app, stderr(), new RegExp(`port ${port} is already in use.*PORT`));
      // Start-up plus the way out, with no drain delay for a server that never listened.
      expect(afterMs).toBeLessThan(15_000);
    } finally {
      holder.close();
    }
  });

  describe('with the embedded PostgreSQL in a 0700 folder', () => {
    let workdir: string;
    let dataDir: string;
    const running: ChildProcess[] = [];
    beforeAll(() => {
      workdir = mkdtempSync(join(tmpdir(), 'keel-startup-failures-'));
      chmodSync(workdir, 0o700);
      dataDir = embeddedDataDir(join(workdir, '.data/postgres'));
    });
    afterAll(() => {
      for (const child of running) if (child.exitCode === null) child.kill('SIGKILL');
      for (const pid of pidsOf(dataDir)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      rmSync(workdir, { recursive: true, force: true });
    });

    const start = async (): Promise<SpawnedApp & { base: string }> => {
      const port = await freePort();
      const app = spawnApp({ HOST: '127.0.0.1', PORT: String(port) }, workdir);
      running.push(app.child);
      const base = `http://127.0.0.1:${port}`;
      await waitUntilServing(`${base}/api/v1/status`, 60_000);
      return { ...app, base };
    };

    it('refuses a second start on the same data while the first serves; Ctrl-C stops at once in development', async () => {
      const first = await start();

      const second = spawnApp({ HOST: '127.0.0.1', PORT: String(await freePort()) }, workdir);
      running.push(second.child);
      const stderr = stderrOf(second);
      const { code } = await second.exited;
      expect(code).toBe(1);
      expectOneClearLine(second, stderr(), /data in .* is in use by another process \(PID \d+\)/);
      expect((await fetch(`${first.base}/api/v1/status`)).status).toBe(200);

      // Development drains for 0 ms unless SHUTDOWN_DRAIN_DELAY_MS says otherwise (item 21).
      const sentAt = Date.now();
      first.child.kill('SIGINT');
      expect((await first.exited).code).toBe(0);
      expect(Date.now() - sentAt).toBeLessThan(3000);
      expect(pidsOf(dataDir)).toEqual([]);
    }, 120_000);

    it('recovers from a stale postmaster.pid whose PID now belongs to another process', async () => {
      const app = await start();
      // A crash: the app, its database supervisor and PostgreSQL all killed at once.
      const pids = [app.child.pid!, ...pidsOf(dataDir)];
      for (const pid of pids) process.kill(pid, 'SIGKILL');
      await app.exited;
      const lockFile = join(dataDir, 'postmaster.pid');
      const lock = readFileSync(lockFile, 'utf8').split('\n');
      // After a reboot the PID it names may be anyone's: here, a live process that is not PostgreSQL.
      const stranger = spawn('sleep', ['60']);
      running.push(stranger);
      lock[0] = String(stranger.pid);
      writeFileSync(lockFile, lock.join('\n'));

      const restarted = await start();
      expect((await fetch(`${restarted.base}/api/v1/status`)).status).toBe(200);
      restarted.child.kill('SIGINT');
      expect((await restarted.exited).code).toBe(0);
      stranger.kill('SIGKILL');
    }, 120_000);
  });
});

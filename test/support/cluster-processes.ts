import { execFileSync } from 'node:child_process';

/** The processes of a cluster, seen from outside as an operator sees them (`ps`). */
interface ProcessRow {
  pid: number;
  ppid: number;
  args: string;
}

function processTable(): ProcessRow[] {
  return execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [pid, ppid, ...args] = line.trim().split(/\s+/);
      return { pid: Number(pid), ppid: Number(ppid), args: args.join(' ') };
    });
}

/** The primary's workers: its children that run the app (not the embedded PostgreSQL's supervisor). */
export const workerPids = (primary: number): number[] =>
  processTable()
    .filter((row) => row.ppid === primary && row.args.includes('dist/main.js'))
    .map((row) => row.pid);

/** Every process below `root`: workers, the embedded PostgreSQL's supervisor and server, … */
export function descendantPids(root: number): number[] {
  const table = processTable();
  const found: number[] = [];
  const visit = (parent: number): void => {
    for (const row of table.filter((candidate) => candidate.ppid === parent)) {
      found.push(row.pid);
      visit(row.pid);
    }
  };
  visit(root);
  return found;
}

export const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export const sleep = (ms: number): Promise<void> => new Promise((wait) => setTimeout(wait, ms));

/** Polls `check` every 100 ms; fails after `timeoutMs`. */
export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what = 'the condition',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

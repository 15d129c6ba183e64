import cluster from 'node:cluster';
import { SHUTDOWN } from './cluster-messages.js';

/**
 * Who asks this process to stop. A single process: SIGINT and SIGTERM, as always. A cluster
 * worker: the primary, which owns the signals and the exit code (decision 0176). A worker still
 * drains on a signal of its own (Ctrl-C reaches the whole process group), but only once: the
 * "second signal exits at once" belongs to the primary, which then kills the workers.
 */
export function onShutdownRequest(stop: (signal: NodeJS.Signals) => void): void {
  if (!cluster.isWorker) {
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return;
  }
  let requested = false;
  const once = (signal: NodeJS.Signals): void => {
    if (requested) return;
    requested = true;
    stop(signal);
  };
  process.on('SIGINT', once);
  process.on('SIGTERM', once);
  process.on('message', (message: unknown) => {
    if (message === SHUTDOWN) once('SIGTERM');
  });
}

/** Workers take the schema as the primary left it: only the primary migrates and seeds. */
export const isClusterWorker = (): boolean => cluster.isWorker;

import cluster from 'node:cluster';
import { fillFromEnvFile } from '../config/env-file.js';
import { requestedWorkers } from '../config/web-concurrency.js';

/**
 * Installed by one line in main.ts. With WEB_CONCURRENCY above 1 this process becomes the cluster
 * primary (primary.ts) and resolves `true`: it never runs the app itself. Otherwise (the default,
 * and in every worker) it resolves `false` having loaded nothing, and main.ts runs the app as a
 * single process does. A value that is not a number is left to the app's validation to name.
 */
export async function startClusterPrimary(): Promise<boolean> {
  if (cluster.isWorker) return false;
  fillFromEnvFile();
  const workers = requestedWorkers(process.env.WEB_CONCURRENCY);
  if (workers <= 1) return false;
  const { runPrimary } = await import('./primary.js');
  runPrimary();
  return true;
}

import { availableParallelism } from 'node:os';

/**
 * `WEB_CONCURRENCY` (Heroku's convention, also read by PM2 and most Node buildpacks): how many
 * worker processes serve the port. `auto` is one per core the process may use. Anything that is not
 * a whole number from 1 or `auto` passes on unchanged, for the environment's validation to name.
 */
export const toWebConcurrency = ({ value }: { value: unknown }): unknown => {
  if (value === 'auto') return availableParallelism();
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
};

/** What WEB_CONCURRENCY may be: one rule, so a bad value gives one line, not one per bound. */
export const WORKER_COUNTS: readonly number[] = Array.from({ length: 256 }, (_, i) => i + 1);

/** Workers asked for by the raw variable; 1 (a single process, no cluster) unless it names more. */
export function requestedWorkers(raw: string | undefined): number {
  const workers = toWebConcurrency({ value: raw ?? '1' });
  return typeof workers === 'number' && Number.isInteger(workers) ? workers : 1;
}

import { type ConstructorOptions, type JobWithMetadata, PgBoss, type SendOptions } from 'pg-boss';

/**
 * pg-boss on `url`, used as something other than the app would use it: pg-boss's own cron (which
 * sends a schedule's data, `null` when it has none), an older release, an operator. It runs no
 * maintenance or cron of its own, and stops when `work` is done.
 */
export async function withJobClient<T>(
  work: (boss: PgBoss) => Promise<T>,
  url = process.env.DATABASE_URL!,
  options: ConstructorOptions = {},
): Promise<T> {
  const boss = new PgBoss({
    connectionString: url,
    schema: 'pgboss',
    max: 1,
    supervise: false,
    schedule: false,
    ...options,
  });
  boss.on('error', () => undefined);
  await boss.start();
  try {
    return await work(boss);
  } finally {
    await boss.stop({ graceful: false, close: true });
  }
}

/** Writes one job; the app's workers then take it through the real queue. */
export function sendJob(
  queue: string,
  data: object | null,
  options: SendOptions = {},
  url?: string,
): Promise<string> {
  return withJobClient(async (boss) => {
    const id = await boss.send(queue, data, options);
    if (id === null) throw new Error(`pg-boss did not enqueue a job on ${queue}`);
    return id;
  }, url);
}

/** The job as pg-boss stores it, with its state (`completed`, `failed`, ...); undefined if none. */
export function findJob<T>(
  queue: string,
  id: string,
  url?: string,
): Promise<JobWithMetadata<T> | undefined> {
  return withJobClient(async (boss) => (await boss.findJobs<T>(queue, { id }))[0], url);
}

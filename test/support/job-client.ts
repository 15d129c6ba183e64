import { PgBoss, type SendOptions } from 'pg-boss';

/**
 * Writes one job straight into pg-boss on `url`, as something other than the app would: pg-boss's
 * own cron (which sends a schedule's data, `null` when it has none), an older release, an operator.
 * The app's workers then take it through the real queue. This client runs no maintenance, cron or
 * migration of its own.
 */
export async function sendJob(
  queue: string,
  data: object | null,
  options: SendOptions = {},
  url = process.env.DATABASE_URL!,
): Promise<string> {
  const boss = new PgBoss({
    connectionString: url,
    schema: 'pgboss',
    max: 1,
    supervise: false,
    schedule: false,
    migrate: false,
  });
  boss.on('error', () => undefined);
  await boss.start();
  try {
    const id = await boss.send(queue, data, options);
    if (id === null) throw new Error(`pg-boss did not enqueue a job on ${queue}`);
    return id;
  } finally {
    await boss.stop({ graceful: false, close: true });
  }
}

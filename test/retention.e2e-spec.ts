import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import pg from 'pg';
import {
  createDatabaseIfMissing,
  dropDatabase,
  withDatabase,
} from '../src/database/database-admin.js';
import { eventually } from './support/fixtures.js';
import { sendJob, withJobClient } from './support/job-client.js';
import { adminHeadersFor, type BuiltApp, startBuiltApp } from './support/spawned-app.js';

type LogLine = Record<string, unknown>;
const linesOf = (app: BuiltApp): LogLine[] =>
  app
    .output()
    .split('\n')
    .slice(0, -1)
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

const HOUR = 3600;

/**
 * The retention of every table that would only grow (issue 21, item 3; decision 0152), applied by
 * the scheduled sweep of a built app with workers, on a database of its own.
 */
describe('retention', () => {
  const server = process.env.DATABASE_URL!;
  const name = `${new URL(server).pathname.slice(1)}_retention`;
  const url = withDatabase(server, name);
  let app: BuiltApp;
  let db: pg.Client;
  let accountId: string;

  beforeAll(async () => {
    await createDatabaseIfMissing(server, name);
    await promisify(execFile)(process.execPath, ['dist/database/cli/migrate.js'], {
      env: { ...process.env, DATABASE_URL: url },
    });
    app = await startBuiltApp({
      DATABASE_URL: url,
      JOB_WORKERS: 'true',
      JOB_RETENTION: '2h',
      LOG_LEVEL: 'info',
    });
    await adminHeadersFor(app.base);
    db = new pg.Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query<{ id: string }>(`select id from users where email = $1`, [
      process.env.ADMIN_EMAIL,
    ]);
    accountId = rows[0].id;
  }, 60_000);
  afterAll(async () => {
    await db?.end();
    app?.child.kill('SIGTERM');
    await app?.exited;
    await dropDatabase(server, name);
  });

  const metric = async (series: string): Promise<number> => {
    const text = await (await fetch(`${app.base}/metrics`)).text();
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
    return Number(line?.split(' ')[1] ?? 0);
  };
  const addKey = async (ageHours: number): Promise<string> => {
    const key = `key-${randomUUID()}`;
    await db.query(
      `insert into idempotency_keys (account_id, key, request_hash, order_id, created_at)
       values ($1, $2, repeat('a', 64), $3, now() - $4 * interval '1 hour')`,
      [accountId, key, randomUUID(), ageHours],
    );
    return key;
  };
  const keysLeft = async (keys: string[]): Promise<string[]> =>
    (
      await db.query<{ key: string }>(`select key from idempotency_keys where key = any($1)`, [
        keys,
      ])
    ).rows.map((row) => row.key);
  const addCounter = async (endsInSeconds: number): Promise<string> => {
    const key = randomUUID().replaceAll('-', '');
    await db.query(
      `insert into rate_limit_counters (key, hits, expires_at)
       values ($1, 3, now() + $2 * interval '1 second')`,
      [key, endsInSeconds],
    );
    return key;
  };
  const countersLeft = async (keys: string[]): Promise<string[]> =>
    (
      await db.query<{ key: string }>(`select key from rate_limit_counters where key = any($1)`, [
        keys,
      ])
    ).rows.map((row) => row.key);
  const sweepJobState = async (id: string): Promise<string | undefined> =>
    (
      await db.query<{ state: string }>(
        `select state from pgboss.job where name = 'retention_sweep' and id = $1`,
        [id],
      )
    ).rows[0]?.state;

  it('is scheduled every ten minutes, one job per tick across instances', async () => {
    const { rows } = await db.query<{ cron: string }>(
      `select cron from pgboss.schedule where name = 'retention_sweep'`,
    );
    expect(rows).toEqual([{ cron: '*/10 * * * *' }]);
  });

  it('deletes idempotency keys 24 h after their order and counters whose window ended, and keeps the rest', async () => {
    const oldKeys = [await addKey(25), await addKey(48)];
    const freshKeys = [await addKey(23), await addKey(0)];
    const endedCounters = [await addCounter(-120), await addCounter(-1)];
    const liveCounters = [await addCounter(30)];

    const job = await sendJob('retention_sweep', null, {}, url);
    await eventually(
      async () => (await sweepJobState(job)) === 'completed',
      20_000,
      'the sweep job to complete',
    );

    expect(await keysLeft([...oldKeys, ...freshKeys])).toEqual(expect.arrayContaining(freshKeys));
    expect(await keysLeft(oldKeys)).toEqual([]);
    expect(await countersLeft([...endedCounters, ...liveCounters])).toEqual(liveCounters);
    expect(
      await metric('retention_rows_deleted_total{table="idempotency_keys"}'),
    ).toBeGreaterThanOrEqual(2);
    expect(
      await metric('retention_rows_deleted_total{table="rate_limit_counters"}'),
    ).toBeGreaterThanOrEqual(2);
    expect(linesOf(app).filter((line) => line.msg === 'retention applied')).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ table: 'idempotency_keys', keeps: '24 hours after the order' }),
        expect.objectContaining({ table: 'rate_limit_counters' }),
      ]),
    );
  }, 30_000);

  it("gives every queue's jobs JOB_RETENTION once finished, and pg-boss's maintenance deletes them then", async () => {
    const { rows: queues } = await db.query<{
      name: string;
      deletion_seconds: number;
      retention_seconds: number;
    }>(
      `select name, deletion_seconds, retention_seconds from pgboss.queue
       where name not like '\\_\\_pgboss\\_\\_%' order by name`,
    );
    expect(queues.map((queue) => queue.name)).toEqual(
      expect.arrayContaining(['order_confirm', 'retention_sweep', 'retention_sweep_dead_letter']),
    );
    for (const queue of queues) {
      expect(queue).toMatchObject({
        deletion_seconds: 2 * HOUR,
        retention_seconds: 14 * 24 * HOUR,
      });
    }

    const [old, fresh] = [
      await sendJob('retention_sweep', null, {}, url),
      await sendJob('retention_sweep', null, {}, url),
    ];
    await eventually(
      async () =>
        (await sweepJobState(old)) === 'completed' && (await sweepJobState(fresh)) === 'completed',
      20_000,
      'both sweep jobs to complete',
    );
    await db.query(
      `update pgboss.job set completed_on = now() - interval '3 hours'
       where name = 'retention_sweep' and id = $1`,
      [old],
    );
    // The app runs this maintenance hourly; a client that may run it now does it at once.
    await withJobClient((boss) => boss.supervise('retention_sweep'), url, {
      maintenanceIntervalSeconds: 1,
    });
    expect(await sweepJobState(old)).toBeUndefined();
    expect(await sweepJobState(fresh)).toBe('completed');
  }, 30_000);

  it('fails loudly when a table cannot be purged, and still purges the others', async () => {
    const oldKey = await addKey(30);
    const failuresBefore = await metric(
      'retention_sweep_failures_total{table="rate_limit_counters"}',
    );
    await db.query(`alter table rate_limit_counters rename to rate_limit_counters_away`);
    try {
      const job = await sendJob('retention_sweep', null, {}, url);
      await eventually(
        async () => (await sweepJobState(job)) === 'failed',
        20_000,
        'the sweep job to fail',
      );
      const failures = linesOf(app).filter(
        (line) => line.msg === 'retention sweep failed for a table' && line.jobId === job,
      );
      expect(failures).toEqual([
        expect.objectContaining({
          level: 50,
          table: 'rate_limit_counters',
          err: expect.objectContaining({ message: expect.stringContaining('rate_limit_counters') }),
        }),
      ]);
      expect(await metric('retention_sweep_failures_total{table="rate_limit_counters"}')).toBe(
        failuresBefore + 1,
      );
      expect(await metric('jobs_processed_total{queue="retention_sweep",outcome="failed"}')).toBe(
        1,
      );
      expect(await keysLeft([oldKey])).toEqual([]);
    } finally {
      await db.query(`alter table rate_limit_counters_away rename to rate_limit_counters`);
    }
  }, 30_000);
});

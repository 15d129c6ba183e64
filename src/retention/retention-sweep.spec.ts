import { jest } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { Metrics } from '../metrics/metrics.service.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { RetentionMetrics } from './retention.metrics.js';
import { RetentionPolicies } from './retention-policies.js';
import { PURGE_BATCH, RetentionSweep } from './retention-sweep.js';

const counter = async (metrics: Metrics, name: string, table: string): Promise<number> =>
  (await metrics.registry.getSingleMetric(name)!.get()).values.find(
    (value) => value.labels.table === table,
  )?.value ?? 0;

describe('RetentionSweep', () => {
  let metrics: Metrics;
  let policies: RetentionPolicies;
  let sweep: RetentionSweep;
  let errors: ReturnType<typeof jest.spyOn>;

  beforeEach(() => {
    metrics = new Metrics();
    policies = new RetentionPolicies();
    sweep = new RetentionSweep({} as JobQueue, policies, new RetentionMetrics(metrics));
    errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('purges batch after batch until one comes back short, and counts the rows', async () => {
    const batches = [PURGE_BATCH, PURGE_BATCH, 7];
    const purge = jest.fn((limit: number): Promise<number> => {
      expect(limit).toBe(PURGE_BATCH);
      return Promise.resolve(batches.shift()!);
    });
    policies.add({ table: 'keys', keeps: '24 hours', purge });

    await sweep.sweep();

    expect(purge).toHaveBeenCalledTimes(3);
    expect(await counter(metrics, 'retention_rows_deleted_total', 'keys')).toBe(
      2 * PURGE_BATCH + 7,
    );
  });

  it('logs and counts a table that fails, purges the others, then fails the job', async () => {
    const others = jest.fn((): Promise<number> => Promise.resolve(2));
    policies.add({
      table: 'broken',
      keeps: 'a minute',
      purge: () => Promise.reject(new Error('relation "broken" does not exist')),
    });
    policies.add({ table: 'others', keeps: 'a day', purge: others });

    await expect(sweep.sweep()).rejects.toThrow('retention sweep failed for broken');

    expect(others).toHaveBeenCalled();
    expect(errors).toHaveBeenCalledWith(
      expect.objectContaining({ table: 'broken', err: expect.any(Error) }),
      'retention sweep failed for a table',
    );
    expect(await counter(metrics, 'retention_sweep_failures_total', 'broken')).toBe(1);
    expect(await counter(metrics, 'retention_rows_deleted_total', 'others')).toBe(2);
  });
});

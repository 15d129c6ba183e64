import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ServiceOverloaded } from '../errors/service-overloaded.js';
import { QueryLane } from './query-lane.js';

describe('QueryLane', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  /** A query that finishes when the test says so. */
  const pending = () => {
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    return { query: () => done.then(() => 'answer'), finish };
  };

  it('runs at most its concurrency at once and starts the others in arrival order', async () => {
    const lane = new QueryLane({ concurrency: 2, maxWaitMs: 1000 });
    const started: string[] = [];
    const queries = ['a', 'b', 'c', 'd'].map((name) => {
      const { query, finish } = pending();
      const result = lane.run(() => {
        started.push(name);
        return query();
      });
      return { finish, result };
    });
    await Promise.resolve();
    expect(started).toEqual(['a', 'b']);
    expect(lane.waiting).toBe(2);
    queries[1].finish();
    await queries[1].result;
    await Promise.resolve();
    expect(started).toEqual(['a', 'b', 'c']);
    for (const { finish } of queries) finish();
    await expect(Promise.all(queries.map(({ result }) => result))).resolves.toEqual([
      'answer',
      'answer',
      'answer',
      'answer',
    ]);
    expect(lane.waiting).toBe(0);
  });

  it('refuses a query still waiting after maxWaitMs with ServiceOverloaded, and frees its place', async () => {
    const lane = new QueryLane({ concurrency: 1, maxWaitMs: 1000 });
    const first = pending();
    const running = lane.run(first.query);
    const late = lane.run(() => Promise.resolve('never'));
    jest.advanceTimersByTime(1000);
    await expect(late).rejects.toBeInstanceOf(ServiceOverloaded);
    expect(lane.waiting).toBe(0);
    first.finish();
    await running;
    await expect(lane.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });

  it('frees the place of a query that failed', async () => {
    const lane = new QueryLane({ concurrency: 1, maxWaitMs: 1000 });
    await expect(lane.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lane.run(() => Promise.resolve('next'))).resolves.toBe('next');
  });
});

import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ServiceOverloaded } from '../../errors/service-overloaded.js';
import { Lane } from './lane.js';

describe('Lane', () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  it('gives at most its concurrency places and hands them over in arrival order', async () => {
    const lane = new Lane({ concurrency: 2, maxWaitMs: 1000 });
    const entered: string[] = [];
    const enter = (name: string) => lane.enter().then(() => entered.push(name));
    const all = Promise.all(['a', 'b', 'c', 'd'].map(enter));
    await Promise.resolve();
    expect(entered).toEqual(['a', 'b']);
    expect(lane.waiting).toBe(2);
    lane.leave();
    await Promise.resolve();
    expect(entered).toEqual(['a', 'b', 'c']);
    lane.leave();
    await all;
    expect(entered).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses after maxWaitMs with ServiceOverloaded and forgets the refused one', async () => {
    const lane = new Lane({ concurrency: 1, maxWaitMs: 1000 });
    await lane.enter();
    const late = lane.enter();
    jest.advanceTimersByTime(1000);
    await expect(late).rejects.toBeInstanceOf(ServiceOverloaded);
    expect(lane.waiting).toBe(0);
    lane.leave();
    await expect(lane.enter()).resolves.toBeUndefined();
  });
});

import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { AsyncLocalStorage } from 'node:async_hooks';
import { type AdmissionOutcome, AdmissionQueue } from './admission-queue.js';

describe('AdmissionQueue', () => {
  let clock: number;
  let queue: AdmissionQueue;
  const decided: Record<string, AdmissionOutcome> = {};
  const present = () => false;
  const enter = (name: string, clientGone = present) =>
    queue.enter(clientGone, (outcome) => (decided[name] = outcome));

  beforeEach(() => {
    jest.useFakeTimers();
    clock = 0;
    queue = new AdmissionQueue({ concurrency: 2, maxWaitMs: 1000 }, () => clock);
    for (const name of Object.keys(decided)) delete decided[name];
  });
  afterEach(() => {
    jest.useRealTimers();
  });

  const wait = (ms: number) => {
    clock += ms;
    jest.advanceTimersByTime(ms);
  };

  it('admits up to its concurrency at once and lines the others up in arrival order', () => {
    enter('a');
    enter('b');
    enter('c');
    enter('d');
    expect(decided).toEqual({ a: 'admitted', b: 'admitted' });
    expect(queue.waiting).toBe(2);
    queue.leave(10);
    expect(decided.c).toBe('admitted');
    expect(decided.d).toBeUndefined();
  });

  it('decides a waiting request in its own async context, not in the one of the request that left', () => {
    const requests = new AsyncLocalStorage<string>();
    const decidedIn: Record<string, string | undefined> = {};
    const enterAs = (name: string) =>
      requests.run(name, () => queue.enter(present, () => (decidedIn[name] = requests.getStore())));
    enterAs('a');
    enterAs('b');
    enterAs('c');
    enterAs('d');
    requests.run('a', () => queue.leave(10));
    expect(decidedIn.c).toBe('c');
    wait(1000);
    expect(decidedIn.d).toBe('d');
  });

  it('refuses a request still waiting after maxWaitMs, and never later than that', () => {
    enter('a');
    enter('b');
    enter('c');
    wait(400);
    enter('d');
    wait(599);
    expect(decided.c).toBeUndefined();
    wait(1);
    expect(decided.c).toBe('waited-too-long');
    expect(decided.d).toBeUndefined();
    wait(400);
    expect(decided.d).toBe('waited-too-long');
    expect(queue.waiting).toBe(0);
  });

  it('refuses on arrival what the measured pace could not start within maxWaitMs', () => {
    enter('a');
    enter('b');
    // Requests take 100 ms: 2 at a time start 20 per second, so 20 can wait, not 21.
    for (let i = 0; i < 100; i++) {
      queue.leave(100);
      enter(`r${i}`);
    }
    for (let i = 0; i < 20; i++) enter(`w${i}`);
    expect(queue.waiting).toBe(20);
    enter('late');
    expect(decided.late).toBe('too-busy');
    expect(queue.waiting).toBe(20);
  });

  it('does not start a request whose client left while it waited', () => {
    let gone = false;
    enter('a');
    enter('b');
    enter('c', () => gone);
    enter('d');
    gone = true;
    queue.leave(10);
    expect(decided.c).toBe('client-gone');
    expect(decided.d).toBe('admitted');
    expect(queue.inFlight).toBe(2);
  });

  it('does not start a request whose client had left before it arrived, even with a slot free', () => {
    enter('gone', () => true);
    expect(decided.gone).toBe('client-gone');
    expect(queue.inFlight).toBe(0);
    enter('next');
    expect(decided.next).toBe('admitted');
  });
});

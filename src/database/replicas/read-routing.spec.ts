import { ReadRouter, withReadRequirement } from './read-routing.js';
import { RecentWrites } from './recent-writes.js';
import type { ReplicaMonitor } from './replica-monitor.js';

/** A monitor whose one replica has replayed up to `replayed`. */
const monitorAt = (replayed: bigint): ReplicaMonitor =>
  ({
    usableReplicas: (atLeast: bigint) => (replayed >= atLeast ? [0] : []),
    markDown: () => undefined,
  }) as unknown as ReplicaMonitor;

const inRequest = <T>(
  token: bigint,
  account: string | undefined,
  work: () => T,
  issuedAt?: number,
): T => {
  let result!: T;
  withReadRequirement(
    { token, actor: () => (account === undefined ? undefined : { userId: account, issuedAt }) },
    () => (result = work()),
  );
  return result;
};

describe('ReadRouter', () => {
  it('sends a read with no requirement to a replica that is up', () => {
    const router = new ReadRouter(monitorAt(10n), new RecentWrites(1000));
    expect(router.replicaForRead()).toBe(0);
    expect(inRequest(0n, 'ada', () => router.replicaForRead())).toBe(0);
  });

  it('sends a read whose token the replica has not replayed to the primary', () => {
    const router = new ReadRouter(monitorAt(10n), new RecentWrites(1000));
    expect(inRequest(10n, undefined, () => router.replicaForRead())).toBe(0);
    expect(inRequest(11n, undefined, () => router.replicaForRead())).toBeUndefined();
  });

  it('keeps an account that just wrote on the primary until a replica has its write', () => {
    let now = 0;
    const writes = new RecentWrites(1000, () => now);
    writes.record('ada', 20n);
    expect(
      inRequest(0n, 'ada', () => new ReadRouter(monitorAt(10n), writes).replicaForRead()),
    ).toBeUndefined();
    expect(
      inRequest(0n, 'grace', () => new ReadRouter(monitorAt(10n), writes).replicaForRead()),
    ).toBe(0);
    expect(
      inRequest(0n, 'ada', () => new ReadRouter(monitorAt(20n), writes).replicaForRead()),
    ).toBe(0);
    now = 1001;
    expect(
      inRequest(0n, 'ada', () => new ReadRouter(monitorAt(10n), writes).replicaForRead()),
    ).toBe(0);
  });
  it('keeps a freshly issued access token (a login or refresh just wrote) on the primary', () => {
    let now = 100_000;
    const router = new ReadRouter(monitorAt(10n), new RecentWrites(2000, () => now));
    expect(inRequest(0n, 'ada', () => router.replicaForRead(), 99)).toBeUndefined();
    now = 101_998;
    expect(inRequest(0n, 'ada', () => router.replicaForRead(), 99)).toBeUndefined();
    now = 102_000;
    expect(inRequest(0n, 'ada', () => router.replicaForRead(), 99)).toBe(0);
  });
});

describe('RecentWrites', () => {
  it('keeps an account’s furthest write and forgets expired ones', () => {
    let now = 0;
    const writes = new RecentWrites(100, () => now);
    writes.record('ada', 30n);
    writes.record('ada', 20n);
    expect(writes.positionFor('ada')).toBe(30n);
    now = 50;
    writes.record('grace', 5n);
    now = 120;
    writes.record('linus', 1n);
    expect(writes.size).toBe(2);
    expect(writes.positionFor('ada')).toBe(0n);
    expect(writes.positionFor('grace')).toBe(5n);
    expect(writes.positionFor(undefined)).toBe(0n);
  });
});

import { ReplicaMonitor, type ReplicaProbes, type ReplicaState } from './replica-monitor.js';

/** A primary and one replica whose positions and clock the test moves by hand. */
function setup(maxLagMs = 1000) {
  let now = 0;
  let primary = 100n;
  let replay: bigint | Error = 100n;
  const changes: string[] = [];
  const probes: ReplicaProbes = {
    primaryLsn: () => Promise.resolve(primary),
    replayLsn: () => (replay instanceof Error ? Promise.reject(replay) : Promise.resolve(replay)),
  };
  const monitor = new ReplicaMonitor({
    names: ['replica-1'],
    maxLagMs,
    probes,
    now: () => now,
    reports: {
      stateChanged: (name, from, to: ReplicaState) => changes.push(`${name} ${from}→${to}`),
      observed: () => undefined,
      readCancelledForReplay: () => undefined,
    },
  });
  return {
    monitor,
    changes,
    at: (ms: number) => (now = ms),
    primaryAt: (lsn: bigint) => (primary = lsn),
    replayed: (lsn: bigint | Error) => (replay = lsn),
  };
}

describe('ReplicaMonitor', () => {
  it('uses a replica that has replayed the primary, and says so once', async () => {
    const { monitor, changes } = setup();
    await monitor.check();
    await monitor.check();
    expect(monitor.usableReplicas(0n)).toEqual([0]);
    expect(changes).toEqual(['replica-1 unknown→up']);
  });

  it('says nothing of a replica behind the first sample until the bound has passed', async () => {
    const t = setup();
    t.replayed(90n);
    await t.monitor.check();
    expect(t.monitor.usableReplicas(0n)).toEqual([]);
    t.primaryAt(120n);
    t.replayed(100n);
    t.at(500);
    await t.monitor.check();
    expect(t.changes).toEqual(['replica-1 unknown→up']);
    // One that is still behind once the bound has passed is lagging, and says so.
    const late = setup();
    late.replayed(90n);
    await late.monitor.check();
    late.at(1500);
    await late.monitor.check();
    expect(late.changes).toEqual(['replica-1 unknown→lagging']);
  });

  it('measures lag from the newest primary sample the replica has reached, not from idle time', async () => {
    const t = setup();
    await t.monitor.check();
    // An idle primary for a minute: nothing new to replay, no lag.
    t.at(60_000);
    await t.monitor.check();
    expect(t.monitor.stateOf(0)).toBe('up');
    // A write the replica replays 500 ms later: within the bound.
    t.primaryAt(200n);
    t.at(60_250);
    await t.monitor.check();
    t.at(60_500);
    await t.monitor.check();
    expect(t.monitor.stateOf(0)).toBe('up');
    // Still not replayed 1.25 s after the write's sample: over the bound, reads go elsewhere.
    t.at(61_300);
    await t.monitor.check();
    expect(t.monitor.stateOf(0)).toBe('lagging');
    expect(t.monitor.usableReplicas(0n)).toEqual([]);
    t.replayed(200n);
    t.at(61_400);
    await t.monitor.check();
    expect(t.monitor.stateOf(0)).toBe('up');
    expect(t.changes).toEqual([
      'replica-1 unknown→up',
      'replica-1 up→lagging',
      'replica-1 lagging→up',
    ]);
  });

  it('offers a replica only for reads it has replayed far enough for', async () => {
    const t = setup();
    t.replayed(150n);
    t.primaryAt(150n);
    await t.monitor.check();
    expect(t.monitor.usableReplicas(150n)).toEqual([0]);
    expect(t.monitor.usableReplicas(151n)).toEqual([]);
  });

  it('takes a replica that does not answer out until it answers again', async () => {
    const t = setup();
    await t.monitor.check();
    t.replayed(new Error('connect ECONNREFUSED'));
    await t.monitor.check();
    await t.monitor.check();
    expect(t.monitor.usableReplicas(0n)).toEqual([]);
    t.replayed(100n);
    await t.monitor.check();
    expect(t.monitor.usableReplicas(0n)).toEqual([0]);
    expect(t.changes).toEqual(['replica-1 unknown→up', 'replica-1 up→down', 'replica-1 down→up']);
  });

  it('takes a replica out at once when a read could not reach it', async () => {
    const t = setup();
    await t.monitor.check();
    t.monitor.markDown(0, new Error('Connection terminated'));
    expect(t.monitor.usableReplicas(0n)).toEqual([]);
    expect(t.changes.at(-1)).toBe('replica-1 up→down');
  });
});

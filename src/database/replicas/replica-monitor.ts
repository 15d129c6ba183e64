import type { Lsn } from './lsn.js';

/** up: serves reads; lagging: answers but is over the bound; down: does not answer. */
export type ReplicaState = 'up' | 'lagging' | 'down';

/** What the monitor asks the databases; pg-backed in replica-probes.ts, faked in unit specs. */
export interface ReplicaProbes {
  /** `pg_current_wal_lsn()` on the primary. */
  primaryLsn(): Promise<Lsn>;
  /** `pg_last_wal_replay_lsn()` on replica `index`; rejects when it does not answer. */
  replayLsn(index: number): Promise<Lsn>;
}

/** One line per state change, and the gauges (replicas.module.ts wires logs and metrics). */
export interface ReplicaReports {
  stateChanged(
    name: string,
    from: ReplicaState | 'unknown',
    to: ReplicaState,
    detail: string,
  ): void;
  observed(name: string, state: ReplicaState, lagMs: number | undefined): void;
  /** A read the replica cancelled for a conflict with its replay, answered by the primary. */
  readCancelledForReplay(name: string): void;
}

interface ReplicaStatus {
  readonly name: string;
  state: ReplicaState | 'unknown';
  /** The newest replay position seen: a replica never un-replays, so this only errs on the safe side. */
  replayLsn: Lsn;
  lagMs?: number;
}

interface PrimarySample {
  at: number;
  lsn: Lsn;
}

export interface ReplicaMonitorOptions {
  names: string[];
  maxLagMs: number;
  probes: ReplicaProbes;
  reports: ReplicaReports;
  now?: () => number;
}

/**
 * Watches each replica's replay position against the primary's WAL position (bounded staleness,
 * decision 0200). Every check samples the primary's position first, then asks each replica how
 * far it has replayed. A replica's lag is measured against those samples, not with
 * `pg_last_xact_replay_timestamp()` (which grows without bound on an idle primary): it has replayed
 * everything the primary had written at the newest sample it has reached, so its data is at most
 * `now − that sample's time` old — an upper bound, precise to one check interval.
 */
export class ReplicaMonitor {
  private readonly replicas: ReplicaStatus[];
  private samples: PrimarySample[] = [];
  private firstSampleAt?: number;
  private readonly now: () => number;

  constructor(private readonly options: ReplicaMonitorOptions) {
    this.replicas = options.names.map((name) => ({ name, state: 'unknown', replayLsn: 0n }));
    this.now = options.now ?? Date.now;
  }

  /** How long samples are kept: beyond it, a replica is over the bound whatever it replayed. */
  private get horizonMs(): number {
    return this.options.maxLagMs * 3;
  }

  /** One round: the primary's position, then every replica's. Never rejects. */
  async check(): Promise<void> {
    try {
      const lsn = await this.options.probes.primaryLsn();
      const at = this.now();
      this.samples.push({ at, lsn });
      this.samples = this.samples.filter((sample) => sample.at >= at - this.horizonMs);
    } catch {
      // The primary did not answer: its outage is readiness's concern. Replicas are measured
      // against the samples there are, so their lag grows with the time since the last one.
    }
    await Promise.all(this.replicas.map((_, index) => this.checkReplica(index)));
  }

  private async checkReplica(index: number): Promise<void> {
    const replica = this.replicas[index];
    let replayed: Lsn;
    try {
      replayed = await this.options.probes.replayLsn(index);
    } catch (error) {
      this.markDown(index, error);
      return;
    }
    if (replayed > replica.replayLsn) replica.replayLsn = replayed;
    const lagMs = this.lagOf(replica.replayLsn);
    replica.lagMs = lagMs;
    const state: ReplicaState = lagMs <= this.options.maxLagMs ? 'up' : 'lagging';
    // Just started, a replica behind the first sample has no sample it could have reached yet:
    // its lag is not known until the bound has passed, so it stays unknown (unused, no line).
    if (replica.state === 'unknown' && state === 'lagging' && this.startedWithinBound()) return;
    const detail =
      state === 'up'
        ? `replay ${Math.round(lagMs)} ms behind the primary; it serves reads`
        : `replay more than ${Math.round(lagMs)} ms behind the primary (REPLICA_MAX_LAG_MS ${this.options.maxLagMs}); its reads go to the primary`;
    this.enter(replica, state, detail);
  }

  private startedWithinBound(): boolean {
    const first = this.firstSampleAt ?? this.samples[0]?.at;
    this.firstSampleAt = first;
    return first !== undefined && this.now() - first <= this.options.maxLagMs;
  }

  /** The age of the newest primary sample the replica has replayed; past the horizon if none. */
  private lagOf(replayLsn: Lsn): number {
    const now = this.now();
    for (let i = this.samples.length - 1; i >= 0; i--) {
      const sample = this.samples[i];
      if (sample.lsn <= replayLsn) return Math.max(0, now - sample.at);
    }
    const oldest = this.samples[0];
    return oldest ? Math.max(now - oldest.at, this.horizonMs) + 1 : this.horizonMs + 1;
  }

  /** A replica that failed a check or a query is out until a check finds it answering again. */
  markDown(index: number, error: unknown): void {
    const replica = this.replicas[index];
    if (!replica) return;
    replica.lagMs = undefined;
    const reason = error instanceof Error ? error.message : String(error);
    this.enter(replica, 'down', `does not answer (${reason}); its reads go to the primary`);
  }

  /** Not a state change: a standby cancels a read now and then and stays fit for the next. */
  readCancelledForReplay(index: number): void {
    const replica = this.replicas[index];
    if (replica) this.options.reports.readCancelledForReplay(replica.name);
  }

  private enter(replica: ReplicaStatus, state: ReplicaState, detail: string): void {
    const from = replica.state;
    replica.state = state;
    if (from !== state) this.options.reports.stateChanged(replica.name, from, state, detail);
    this.options.reports.observed(replica.name, state, replica.lagMs);
  }

  /**
   * The replicas that may serve a read which must see everything up to `atLeast`: up, and known
   * to have replayed that far (0n: any replica that is up).
   */
  usableReplicas(atLeast: Lsn): number[] {
    const usable: number[] = [];
    this.replicas.forEach((replica, index) => {
      if (replica.state === 'up' && replica.replayLsn >= atLeast) usable.push(index);
    });
    return usable;
  }

  stateOf(index: number): ReplicaState | 'unknown' {
    return this.replicas[index]?.state ?? 'unknown';
  }
}

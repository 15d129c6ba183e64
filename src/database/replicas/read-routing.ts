import { AsyncLocalStorage } from 'node:async_hooks';
import type { Lsn } from './lsn.js';
import type { RecentWrites } from './recent-writes.js';
import type { ReplicaMonitor } from './replica-monitor.js';

/** What one request's reads must see: set by consistency-token.hooks.ts in `preHandler`. */
export interface ReadRequirement {
  /** The request's Consistency-Token, or 0n. */
  token: Lsn;
  /**
   * The authenticated caller, read when the query runs (the guard sets it after the hook): its
   * account, and when its access token was issued (`iat`, seconds).
   */
  actor(): { userId: string; issuedAt?: number } | undefined;
}

const requirements = new AsyncLocalStorage<ReadRequirement>();

/** Runs `next` (the rest of the request) with `requirement` in force for its reads. */
export function withReadRequirement(requirement: ReadRequirement, next: () => void): void {
  requirements.run(requirement, next);
}

/**
 * The one place that decides primary or replica for a read that opted in (`connectionType:
 * 'read'`): a replica that is up (within REPLICA_MAX_LAG_MS and answering) and known to have
 * replayed the request's Consistency-Token and its account's latest write on this instance;
 * otherwise undefined, the primary (also for a freshly issued access token). Random among several, as MikroORM picks.
 */
export class ReadRouter {
  constructor(
    private readonly monitor: ReplicaMonitor,
    readonly recentWrites: RecentWrites,
    private readonly random: () => number = Math.random,
  ) {}

  replicaForRead(): number | undefined {
    const requirement = requirements.getStore();
    const actor = requirement?.actor();
    // A token minted moments ago comes from a login or a refresh — writes, maybe on another
    // instance, that the client did not say it saw (register before it): the primary has them.
    if (actor?.issuedAt !== undefined && this.recentWrites.isRecent(actor.issuedAt * 1000 + 999)) {
      return undefined;
    }
    let atLeast = requirement?.token ?? 0n;
    const ownWrite = this.recentWrites.positionFor(actor?.userId);
    if (ownWrite > atLeast) atLeast = ownWrite;
    const usable = this.monitor.usableReplicas(atLeast);
    if (usable.length === 0) return undefined;
    return usable[Math.floor(this.random() * usable.length)];
  }

  /** A read on replica `index` failed to reach it: out until a check finds it answering. */
  replicaFailed(index: number, error: unknown): void {
    this.monitor.markDown(index, error);
  }

  /** Replica `index` cancelled a read for a conflict with its replay; the primary answered it. */
  readCancelledForReplay(index: number): void {
    this.monitor.readCancelledForReplay(index);
  }
}

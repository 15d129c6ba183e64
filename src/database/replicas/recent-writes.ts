import type { Lsn } from './lsn.js';

interface RecentWrite {
  lsn: Lsn;
  until: number;
}

/**
 * The WAL position of each account's latest write on this instance, for `rememberMs`: a read by
 * that account without a Consistency-Token must see it (session consistency, decision 0200).
 * Kept in write order, so the expired ones are always at the front.
 */
export class RecentWrites {
  private readonly writes = new Map<string, RecentWrite>();

  constructor(
    private readonly rememberMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  record(account: string, lsn: Lsn): void {
    const now = this.now();
    this.forgetExpired(now);
    const known = this.writes.get(account);
    this.writes.delete(account);
    this.writes.set(account, {
      lsn: known && known.lsn > lsn ? known.lsn : lsn,
      until: now + this.rememberMs,
    });
  }

  /** The position the account's reads must see, or 0n when it wrote nothing lately. */
  positionFor(account: string | undefined): Lsn {
    if (account === undefined) return 0n;
    const write = this.writes.get(account);
    return write && write.until > this.now() ? write.lsn : 0n;
  }

  /** Whether something that happened at `atMs` is still within the memory of a write. */
  isRecent(atMs: number): boolean {
    return atMs + this.rememberMs > this.now();
  }

  get size(): number {
    return this.writes.size;
  }

  private forgetExpired(now: number): void {
    for (const [account, write] of this.writes) {
      if (write.until > now) return;
      this.writes.delete(account);
    }
  }
}

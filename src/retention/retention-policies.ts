import { Injectable } from '@nestjs/common';

/** How one table is kept from growing without bound; the retention sweep applies it. */
export interface RetentionPolicy {
  /** The table, as named in logs and in the retention metrics' `table` label. */
  table: string;
  /** The rule in words, for the sweep's log line (docs/operations.md lists every policy). */
  keeps: string;
  /** Deletes up to `limit` rows past their retention and says how many it deleted. */
  purge: (limit: number) => Promise<number>;
}

/**
 * Every table's retention, added by the module that owns the table while it initialises, so the
 * sweep need not know the domains (as ReadinessChecks does for probes).
 */
@Injectable()
export class RetentionPolicies {
  private readonly policies: RetentionPolicy[] = [];

  add(policy: RetentionPolicy): void {
    this.policies.push(policy);
  }

  all(): RetentionPolicy[] {
    return [...this.policies];
  }
}

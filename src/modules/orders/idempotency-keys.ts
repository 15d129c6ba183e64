import type { QueryResult } from '@mikro-orm/core';
import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { IdempotencyKeyInFlight } from './order.errors.js';

/**
 * A key is answered from its first use for 24 h, as payment APIs keep theirs; after that it may be
 * used again, and the retention sweep deletes it (docs/decisions/0152-retention.md).
 */
export const KEY_LIFETIME = '24 hours';
/** How long a duplicate waits for the request holding its key before it is told to retry (409). */
const IN_FLIGHT_WAIT = '5s';
/** Past IN_FLIGHT_WAIT, so that the lock wait, not the statement bound, ends a duplicate's wait. */
const IN_FLIGHT_STATEMENT_BOUND = '6s';
const LOCK_NOT_AVAILABLE = '55P03';

export type Claim = { kind: 'claimed' } | { kind: 'seen'; requestHash: string; orderId: string };

/** sha256 of the request with its keys sorted, so key order in the JSON does not matter. */
export function requestHash(request: unknown): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
          )
        : value;
  return createHash('sha256')
    .update(JSON.stringify(canonical(request)))
    .digest('hex');
}

/**
 * `Idempotency-Key`s in PostgreSQL, so they hold across instances, scoped to the account that sent
 * them. A key is claimed inside the transaction that places its order: it commits with the order,
 * is released by a rollback or by the death of the process holding it, and while that transaction
 * runs the primary key makes a duplicate wait for its outcome.
 */
@Injectable()
export class IdempotencyKeys {
  constructor(private readonly em: EntityManager) {}

  /**
   * Claims `key` for `orderId`; call inside the order's transaction. A duplicate in flight holds the
   * key's index entry: this waits for its outcome up to IN_FLIGHT_WAIT, then gives up with 409.
   */
  async claim(accountId: string, key: string, hash: string, orderId: string): Promise<Claim> {
    await this.em.execute(`set local lock_timeout = '${IN_FLIGHT_WAIT}'`);
    // The statement bound (DB_STATEMENT_TIMEOUT_MS, 5 s by default) would otherwise race the lock
    // wait and answer the duplicate 503 instead of 409: the wait alone bounds this insert.
    await this.em.execute(`set local statement_timeout = '${IN_FLIGHT_STATEMENT_BOUND}'`);
    let claimed: unknown[];
    try {
      claimed = await this.em.execute(
        `insert into "idempotency_keys" ("account_id", "key", "request_hash", "order_id", "created_at")
         values (?, ?, ?, ?, now())
         on conflict ("account_id", "key") do update
           set "request_hash" = excluded."request_hash", "order_id" = excluded."order_id",
               "created_at" = now()
           where "idempotency_keys"."created_at" < now() - interval '${KEY_LIFETIME}'
         returning "key"`,
        [accountId, key, hash, orderId],
      );
    } catch (error) {
      if ((error as { code?: unknown }).code === LOCK_NOT_AVAILABLE) {
        throw new IdempotencyKeyInFlight();
      }
      throw error;
    }
    // Only the wait for a duplicate is bounded, not the stock updates that follow.
    await this.em.execute(`set local lock_timeout to default`);
    await this.em.execute(`set local statement_timeout to default`);
    if (claimed.length > 0) return { kind: 'claimed' };
    const [seen] = await this.em.execute<{ request_hash: string; order_id: string }[]>(
      `select "request_hash", "order_id" from "idempotency_keys" where "account_id" = ? and "key" = ?`,
      [accountId, key],
    );
    return { kind: 'seen', requestHash: seen.request_hash, orderId: seen.order_id };
  }

  /** Deletes up to `limit` keys past their lifetime (on the `created_at` index); returns how many. */
  async deleteExpired(limit: number): Promise<number> {
    const result = await this.em.getConnection().execute<QueryResult>(
      // The outer condition is checked again on a key a concurrent claim has just taken over.
      `delete from "idempotency_keys"
       where ctid = any(array(
         select ctid from "idempotency_keys"
         where "created_at" < now() - interval '${KEY_LIFETIME}' limit ?))
       and "created_at" < now() - interval '${KEY_LIFETIME}'`,
      [limit],
      'run',
    );
    return result.affectedRows;
  }
}

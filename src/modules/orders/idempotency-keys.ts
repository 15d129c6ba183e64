import { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';

/** A key is answered from its first use for 24 h; after that it may be used again. */
const KEY_LIFETIME = '24 hours';
/** A key claimed but never completed (its process died) is given up after this. */
const ABANDONED_AFTER = '5 minutes';

export type Claim =
  { kind: 'claimed' } | { kind: 'seen'; requestHash: string; orderId: string | null };

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
 * `Idempotency-Key`s in PostgreSQL, so they hold across instances. The primary key settles a race
 * between two requests with the same key: one claims it, the other sees it.
 */
@Injectable()
export class IdempotencyKeys {
  constructor(private readonly em: EntityManager) {}

  /** Claims the key in its own statement (committed at once, visible to every instance). */
  async claim(key: string, hash: string): Promise<Claim> {
    const claimed = await this.em.execute<{ key: string }[]>(
      `insert into "idempotency_keys" ("key", "request_hash", "created_at") values (?, ?, now())
       on conflict ("key") do update
         set "request_hash" = excluded."request_hash", "order_id" = null,
             "response_status" = null, "created_at" = now()
         where "idempotency_keys"."created_at" < now() - interval '${KEY_LIFETIME}'
            or ("idempotency_keys"."order_id" is null
                and "idempotency_keys"."created_at" < now() - interval '${ABANDONED_AFTER}')
       returning "key"`,
      [key, hash],
    );
    if (claimed.length > 0) return { kind: 'claimed' };
    const [seen] = await this.em.execute<{ request_hash: string; order_id: string | null }[]>(
      `select "request_hash", "order_id" from "idempotency_keys" where "key" = ?`,
      [key],
    );
    // Gone between the two statements (released by a failed first request): try once more.
    if (!seen) return this.claim(key, hash);
    return { kind: 'seen', requestHash: seen.request_hash, orderId: seen.order_id };
  }

  /** Records the outcome; call inside the order's transaction so both commit or neither. */
  async complete(key: string, orderId: string, status: number): Promise<void> {
    await this.em.execute(
      `update "idempotency_keys" set "order_id" = ?, "response_status" = ? where "key" = ?`,
      [orderId, status, key],
    );
  }

  /** Frees the key after a refused request, so the client may retry with it. */
  async release(key: string): Promise<void> {
    await this.em.execute(`delete from "idempotency_keys" where "key" = ? and "order_id" is null`, [
      key,
    ]);
  }
}

import { type EntityManager, LockMode } from '@mikro-orm/core';

/** How a change's `read` loads its row: locked until the change commits, fresh from the table. */
export const FOR_UPDATE = { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } as const;
export type RowLock = typeof FOR_UPDATE;

/**
 * One change (a PATCH, a DELETE) to one versioned row, in a transaction that reads the row with
 * `SELECT … FOR UPDATE`: a write landing meanwhile — an order taking stock bumps the product's
 * version — waits for this one instead of making it stale. With If-Match (`expectedVersion`), the
 * version under the lock must be the one the client read, or `stale()` (412); without, the change
 * applies to the current version. RFC 9110 §15.5.13: 412 only for a precondition the client sent
 * (issue 21, item 5: 6 of 8 concurrent plain PATCHes answered 412).
 */
export function changeCurrentVersion<T extends { version: number }, R>(
  em: EntityManager,
  read: (lock: RowLock) => Promise<T>,
  expectedVersion: number | undefined,
  stale: () => Error,
  change: (entity: T) => Promise<R>,
): Promise<R> {
  return em.transactional(async () => {
    const entity = await read(FOR_UPDATE);
    if (expectedVersion !== undefined && entity.version !== expectedVersion) throw stale();
    return change(entity);
  });
}

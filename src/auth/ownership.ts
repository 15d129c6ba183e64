import type { Actor } from './actor.js';

/**
 * Ownership rules shared by every domain keyed by a customer (customers, orders): an admin sees
 * every customer's rows, a customer only their own. Services call these; what is not visible is
 * reported as not found, so ids cannot be probed (docs/decisions/0023-ownership-as-404.md).
 */
export const isAdmin = (actor: Actor): boolean => actor.role === 'admin';

/** May the actor see and change rows that belong to this customer? */
export function canAccessCustomer(actor: Actor, customerId: string): boolean {
  return isAdmin(actor) || (actor.customerId !== null && actor.customerId === customerId);
}

/**
 * The customer ids whose rows the actor may list: `undefined` means every customer (admins),
 * otherwise a list (empty when the actor owns no customer record).
 */
export function visibleCustomerIds(actor: Actor): string[] | undefined {
  if (isAdmin(actor)) return undefined;
  return actor.customerId === null ? [] : [actor.customerId];
}

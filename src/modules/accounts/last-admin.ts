import type { Role } from '../../auth/roles.js';
import { LastActiveAdmin } from './account.errors.js';

export interface AdminStanding {
  role: Role;
  disabled: boolean;
}

export const isActiveAdmin = (account: AdminStanding): boolean =>
  account.role === 'admin' && !account.disabled;

/**
 * Refuses a change that takes the last active admin away: a demotion, a disabling or (`after`
 * undefined) a deletion of an active admin when no other active admin is left. `activeAdminIds`
 * must be read with the admins' rows locked, so two admins demoting each other at once cannot both
 * pass (accounts.service.ts).
 */
export function keepAnActiveAdmin(
  id: string,
  before: AdminStanding,
  after: AdminStanding | undefined,
  activeAdminIds: readonly string[],
): void {
  if (!isActiveAdmin(before) || (after && isActiveAdmin(after))) return;
  if (!activeAdminIds.some((other) => other !== id)) throw new LastActiveAdmin();
}

/** Whether the change needs the admins' rows locked and counted at all. */
export const mayRemoveAnAdmin = (before: AdminStanding, after?: AdminStanding): boolean =>
  isActiveAdmin(before) && !(after && isActiveAdmin(after));

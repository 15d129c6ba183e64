import { ROLES, type Role } from '../roles.js';

export type AccountStatus = 'active' | 'disabled' | 'deleted';

/** Sessions that ended (logout, reuse of a spent refresh token): their access tokens are refused. */
export interface SessionsEnded {
  kind: 'sessions';
  sessionIds: string[];
  /** When they ended, in milliseconds (the database's clock). */
  at: number;
}

/**
 * An account's state after a change that matters to the tokens already issued for it: its role,
 * whether it may still act, and when all of its tokens without a session were signed out.
 */
export interface AccountChanged {
  kind: 'account';
  userId: string;
  /** `null` once the account is deleted. */
  role: Role | null;
  status: AccountStatus;
  /** Tokens without a session issued up to this moment (ms) are refused; `null`: none. */
  signedOutAt: number | null;
  /** When the change was made (ms): of two notices about one account, the later one holds. */
  at: number;
}

export type RevocationNotice = SessionsEnded | AccountChanged;

const STATUSES: readonly AccountStatus[] = ['active', 'disabled', 'deleted'];
const isString = (value: unknown): value is string => typeof value === 'string';
const isTime = (value: unknown): value is number => Number.isSafeInteger(value);

/** What travels as a NOTIFY payload (at most 8000 bytes: callers send sessions in chunks). */
export const encodeNotice = (notice: RevocationNotice): string => JSON.stringify(notice);

/**
 * A payload read back, or `undefined` when it is not one this code sends (another version of Keel
 * during a rolling update, or a stray NOTIFY on the channel): ignored rather than trusted.
 */
export function decodeNotice(payload: string): RevocationNotice | undefined {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(payload) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || !isTime(value.at)) return undefined;
  if (value.kind === 'sessions') {
    const ids = value.sessionIds;
    if (!Array.isArray(ids) || !ids.every(isString)) return undefined;
    return { kind: 'sessions', sessionIds: ids, at: value.at };
  }
  if (value.kind !== 'account' || !isString(value.userId)) return undefined;
  const role = value.role === null ? null : ROLES.find((known) => known === value.role);
  const status = STATUSES.find((known) => known === value.status);
  const signedOutAt = value.signedOutAt;
  if (role === undefined || !status || !(signedOutAt === null || isTime(signedOutAt))) {
    return undefined;
  }
  return { kind: 'account', userId: value.userId, role, status, signedOutAt, at: value.at };
}

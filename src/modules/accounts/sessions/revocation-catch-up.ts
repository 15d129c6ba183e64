import type pg from 'pg';
import { ROLES } from '../../../auth/roles.js';
import type { RevocationNotice } from '../../../auth/revocation/revocation-notice.js';

const SESSIONS_ENDED = `
  select id, (extract(epoch from revoked_at) * 1000)::bigint as at
  from sessions where revoked_at > now() - make_interval(secs => $1::double precision)`;

// Deleted accounts have a change and no user row any more; disabled ones count however old.
const ACCOUNTS_CHANGED = `
  select c.user_id, u.role, u.disabled, u.id is null as deleted,
    (extract(epoch from c.changed_at) * 1000)::bigint as at,
    (extract(epoch from c.signed_out_at) * 1000)::bigint as signed_out_at
  from account_changes c left join users u on u.id = c.user_id
  where c.changed_at > now() - make_interval(secs => $1::double precision) or u.disabled`;

interface SessionRow {
  id: string;
  at: string;
}

interface AccountRow {
  user_id: string;
  role: string | null;
  disabled: boolean | null;
  deleted: boolean;
  at: string;
  signed_out_at: string | null;
}

/**
 * Every revocation that may still concern a live token, read from the tables the notices were
 * written beside: what an instance missed while it was not listening (at start, after a lost
 * connection) or a notification that never arrived.
 */
export async function readRecentRevocations(
  client: pg.Client,
  lookBackMs: number,
): Promise<RevocationNotice[]> {
  const seconds = lookBackMs / 1000;
  const sessions = await client.query<SessionRow>(SESSIONS_ENDED, [seconds]);
  const accounts = await client.query<AccountRow>(ACCOUNTS_CHANGED, [seconds]);
  return [
    ...sessions.rows.map((row): RevocationNotice => ({
      kind: 'sessions',
      sessionIds: [row.id],
      at: Number(row.at),
    })),
    ...accounts.rows.map((row): RevocationNotice => ({
      kind: 'account',
      userId: row.user_id,
      role: row.deleted ? null : (ROLES.find((role) => role === row.role) ?? null),
      status: row.deleted ? 'deleted' : row.disabled ? 'disabled' : 'active',
      signedOutAt: row.signed_out_at === null ? null : Number(row.signed_out_at),
      at: Number(row.at),
    })),
  ];
}

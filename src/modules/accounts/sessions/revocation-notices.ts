import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';
import {
  type AccountStatus,
  type RevocationNotice,
  encodeNotice,
} from '../../../auth/revocation/revocation-notice.js';
import type { Role } from '../../../auth/roles.js';
import type { EndedSessions } from './sessions.repository.js';

/** The channel every instance LISTENs on (revocation-feed.ts). */
export const REVOCATION_CHANNEL = 'keel_revocations';

/** 150 ids of 36 characters and their JSON stay well under NOTIFY's 8000-byte payload limit. */
const SESSIONS_PER_NOTICE = 150;

export interface AccountState {
  userId: string;
  /** `null` once deleted. */
  role: Role | null;
  status: AccountStatus;
}

/**
 * Tells every instance (and this one) that tokens were revoked. Called inside the transaction that
 * made the change: PostgreSQL delivers a NOTIFY at commit and drops it on rollback, so a notice
 * never announces a change that did not happen. `pg_notify` in a transaction passes a pooler in
 * transaction mode; only the LISTEN side needs a direct connection.
 */
@Injectable()
export class RevocationNotices {
  async sessionsEnded(em: EntityManager, ended: EndedSessions): Promise<void> {
    if (ended.at === null) return;
    for (let i = 0; i < ended.sessionIds.length; i += SESSIONS_PER_NOTICE) {
      const sessionIds = ended.sessionIds.slice(i, i + SESSIONS_PER_NOTICE);
      await this.notify(em, { kind: 'sessions', sessionIds, at: ended.at });
    }
  }

  /**
   * Records the account's state for catch-up reads (account_changes) and announces it. With
   * `signOut`, its tokens without a session issued until now are refused too.
   */
  async accountChanged(
    em: EntityManager,
    state: AccountState,
    { signOut = false }: { signOut?: boolean } = {},
  ): Promise<void> {
    const rows = await em.getConnection().execute<{ at: string; signed_out_at: string | null }[]>(
      `insert into account_changes (user_id, changed_at, signed_out_at)
       values (?, now(), case when ? then now() end)
       on conflict (user_id) do update set changed_at = excluded.changed_at,
         signed_out_at = coalesce(excluded.signed_out_at, account_changes.signed_out_at)
       returning (extract(epoch from changed_at) * 1000)::bigint as at,
         (extract(epoch from signed_out_at) * 1000)::bigint as signed_out_at`,
      [state.userId, signOut],
      'all',
      em.getTransactionContext(),
    );
    const { at, signed_out_at: signedOutAt } = rows[0];
    await this.notify(em, {
      kind: 'account',
      ...state,
      signedOutAt: signedOutAt === null ? null : Number(signedOutAt),
      at: Number(at),
    });
  }

  private async notify(em: EntityManager, notice: RevocationNotice): Promise<void> {
    await em
      .getConnection()
      .execute(
        'select pg_notify(?, ?)',
        [REVOCATION_CHANNEL, encodeNotice(notice)],
        'all',
        em.getTransactionContext(),
      );
  }
}

import type { EntityManager } from '@mikro-orm/postgresql';
import { Injectable } from '@nestjs/common';

export interface SpentToken {
  sessionId: string;
  userId: string;
}

export interface EndedSessions {
  sessionIds: string[];
  /** When they ended (ms, the database's clock); `null` when none was still live. */
  at: number | null;
}

/** `timestamptz` as milliseconds since the epoch, computed by PostgreSQL (pg returns bigint as text). */
const EPOCH_MS = (column: string) => `(extract(epoch from ${column}) * 1000)::bigint`;

const run = <T>(em: EntityManager, sql: string, params: unknown[]): Promise<T[]> =>
  em.getConnection().execute<T[]>(sql, params, 'all', em.getTransactionContext());

/**
 * Named queries on sessions and refresh tokens, each one statement, run in the caller's
 * transaction (`em` is the transactional manager). Times come from PostgreSQL's clock, so instances
 * with skewed clocks still agree on when a session expires.
 */
@Injectable()
export class SessionsRepository {
  async insertSession(
    em: EntityManager,
    session: { id: string; userId: string; idleSeconds: number; absoluteSeconds: number },
  ): Promise<void> {
    await run(
      em,
      `insert into sessions (id, user_id, created_at, idle_expires_at, expires_at)
       values (?, ?, now(), now() + make_interval(secs => ?), now() + make_interval(secs => ?))`,
      [
        session.id,
        session.userId,
        Math.min(session.idleSeconds, session.absoluteSeconds),
        session.absoluteSeconds,
      ],
    );
  }

  async insertToken(em: EntityManager, tokenHash: string, sessionId: string): Promise<void> {
    await run(
      em,
      'insert into refresh_tokens (token_hash, session_id, created_at) values (?, ?, now())',
      [tokenHash, sessionId],
    );
  }

  /**
   * Spends an unspent token of a live session, in one conditional UPDATE: of two requests with the
   * same token, PostgreSQL lets one update the row and re-checks `spent_at is null` for the other
   * once the first commits, so exactly one gets the row back. Null when nothing was spent.
   */
  async spend(em: EntityManager, tokenHash: string): Promise<SpentToken | null> {
    const rows = await run<{ session_id: string; user_id: string }>(
      em,
      `update refresh_tokens t set spent_at = now()
       from sessions s
       where t.token_hash = ? and t.spent_at is null and s.id = t.session_id
         and s.revoked_at is null and s.idle_expires_at > now() and s.expires_at > now()
       returning s.id as session_id, s.user_id`,
      [tokenHash],
    );
    return rows[0] ? { sessionId: rows[0].session_id, userId: rows[0].user_id } : null;
  }

  /** A refresh keeps the session alive for another idle timeout, never past its absolute end. */
  async extend(em: EntityManager, sessionId: string, idleSeconds: number): Promise<void> {
    await run(
      em,
      `update sessions set idle_expires_at = least(now() + make_interval(secs => ?), expires_at)
       where id = ?`,
      [idleSeconds, sessionId],
    );
  }

  /** The session of a token that was spent before: presented again, it is reuse. */
  async sessionOfSpentToken(em: EntityManager, tokenHash: string): Promise<string | null> {
    const rows = await run<{ session_id: string }>(
      em,
      'select session_id from refresh_tokens where token_hash = ? and spent_at is not null',
      [tokenHash],
    );
    return rows[0]?.session_id ?? null;
  }

  /** Ends these sessions (those not ended yet); answers which ended now. */
  endSessions(em: EntityManager, sessionIds: string[]): Promise<EndedSessions> {
    if (sessionIds.length === 0) return Promise.resolve({ sessionIds: [], at: null });
    return this.ended(
      em,
      `update sessions set revoked_at = now()
       where id in (${sessionIds.map(() => '?').join(', ')}) and revoked_at is null
       returning id, ${EPOCH_MS('revoked_at')} as at`,
      sessionIds,
    );
  }

  /** Ends every session of an account that is not ended yet, except `keep` when given. */
  endSessionsOf(em: EntityManager, userId: string, keep?: string): Promise<EndedSessions> {
    return this.ended(
      em,
      `update sessions set revoked_at = now()
       where user_id = ? and revoked_at is null${keep === undefined ? '' : ' and id <> ?'}
       returning id, ${EPOCH_MS('revoked_at')} as at`,
      keep === undefined ? [userId] : [userId, keep],
    );
  }

  /** Ends a session of this account (logout); another account's session id changes nothing. */
  endSessionOf(em: EntityManager, userId: string, sessionId: string): Promise<EndedSessions> {
    return this.ended(
      em,
      `update sessions set revoked_at = now()
       where id = ? and user_id = ? and revoked_at is null
       returning id, ${EPOCH_MS('revoked_at')} as at`,
      [sessionId, userId],
    );
  }

  private async ended(em: EntityManager, sql: string, params: unknown[]): Promise<EndedSessions> {
    const rows = await run<{ id: string; at: string }>(em, sql, params);
    return { sessionIds: rows.map((row) => row.id), at: rows[0] ? Number(rows[0].at) : null };
  }
}

import { EntityManager } from '@mikro-orm/postgresql';
import { Inject, Injectable } from '@nestjs/common';
import { v7 as uuidv7 } from 'uuid';
import { hashRefreshToken, isRefreshTokenText, newRefreshToken } from './refresh-token-text.js';
import { RevocationNotices } from './revocation-notices.js';
import { InvalidRefreshToken, RefreshTokenReused } from './session.errors.js';
import { type SessionsConfig, sessionsConfig } from './sessions.config.js';
import { SessionsRepository } from './sessions.repository.js';

export interface StartedSession {
  sessionId: string;
  /** The only time the token's text exists outside the client: only its hash is stored. */
  refreshToken: string;
}

export interface RotatedSession extends StartedSession {
  userId: string;
}

type Rotation = { kind: 'rotated'; userId: string; sessionId: string } | { kind: 'refused' };

/**
 * Sessions and their refresh tokens (docs/decisions/0160-sessions-and-refresh-tokens.md): the
 * accounts domain's services call this; it knows accounts only by id. Methods that take an `em`
 * run in the caller's transaction, so an account change and the end of its sessions commit
 * together.
 */
@Injectable()
export class SessionsService {
  private readonly idleSeconds: number;
  private readonly absoluteSeconds: number;

  constructor(
    private readonly em: EntityManager,
    private readonly sessions: SessionsRepository,
    private readonly notices: RevocationNotices,
    @Inject(sessionsConfig.KEY) config: SessionsConfig,
  ) {
    this.idleSeconds = config.SESSION_IDLE_TIMEOUT;
    this.absoluteSeconds = config.SESSION_ABSOLUTE_TIMEOUT;
  }

  /** A new session for an account that just proved who it is (login). */
  start(userId: string): Promise<StartedSession> {
    const sessionId = uuidv7();
    const refreshToken = newRefreshToken();
    return this.em.transactional(async (em) => {
      await this.sessions.insertSession(em, {
        id: sessionId,
        userId,
        idleSeconds: this.idleSeconds,
        absoluteSeconds: this.absoluteSeconds,
      });
      await this.sessions.insertToken(em, hashRefreshToken(refreshToken), sessionId);
      return { sessionId, refreshToken };
    });
  }

  /**
   * Spends the refresh token and answers its successor. A token spent before ends its session
   * (reuse: RFC 9700 §4.14.2) — also the loser of two concurrent refreshes with one token, which
   * cannot be told apart from a thief racing the client (decision 0162). The end commits before
   * the refusal is thrown.
   */
  async rotate(refreshToken: string): Promise<RotatedSession> {
    if (!isRefreshTokenText(refreshToken)) throw new InvalidRefreshToken();
    const presented = hashRefreshToken(refreshToken);
    const successor = newRefreshToken();
    let reused = false;
    const rotation = await this.em.transactional(async (em): Promise<Rotation> => {
      const spent = await this.sessions.spend(em, presented);
      if (spent) {
        await this.sessions.extend(em, spent.sessionId, this.idleSeconds);
        await this.sessions.insertToken(em, hashRefreshToken(successor), spent.sessionId);
        return { kind: 'rotated', ...spent };
      }
      const sessionId = await this.sessions.sessionOfSpentToken(em, presented);
      if (sessionId !== null) {
        reused = true;
        await this.notices.sessionsEnded(em, await this.sessions.endSessions(em, [sessionId]));
      }
      return { kind: 'refused' };
    });
    if (rotation.kind === 'refused') {
      throw reused ? new RefreshTokenReused() : new InvalidRefreshToken();
    }
    return { sessionId: rotation.sessionId, userId: rotation.userId, refreshToken: successor };
  }

  /** Logout: ends one session of this account, at once on every instance. */
  async end(userId: string, sessionId: string): Promise<void> {
    await this.em.transactional(async (em) => {
      await this.notices.sessionsEnded(em, await this.sessions.endSessionOf(em, userId, sessionId));
    });
  }

  /** Ends every session of the account but `keep`, in the caller's transaction. */
  async endAllOf(em: EntityManager, userId: string, keep?: string): Promise<void> {
    await this.notices.sessionsEnded(em, await this.sessions.endSessionsOf(em, userId, keep));
  }
}

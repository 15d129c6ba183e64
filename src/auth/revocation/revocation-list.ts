import type { Actor } from '../actor.js';
import { InvalidAccessToken } from '../auth.errors.js';
import type { AccountChanged, RevocationNotice } from './revocation-notice.js';

/**
 * What this instance knows about revoked access tokens, kept in memory so that the check costs two
 * map lookups per request and no database round trip (docs/decisions/0161-revocation-at-once.md).
 * Fed by the notices every instance receives (LISTEN/NOTIFY) and by catch-up reads.
 *
 * A notice is remembered for `rememberMs`: longer than any access token lives (JWT_EXPIRES_IN plus
 * a margin for clock skew), so a token it concerns has expired by the time it is forgotten. A
 * disabled account is remembered for as long as it stays disabled.
 */
export class RevocationList {
  private readonly endedSessions = new Map<string, number>();
  private readonly accounts = new Map<string, AccountChanged>();

  constructor(private readonly rememberMs: number) {}

  apply(notice: RevocationNotice): void {
    if (notice.kind === 'sessions') {
      for (const id of notice.sessionIds) this.endedSessions.set(id, notice.at);
      return;
    }
    const known = this.accounts.get(notice.userId);
    // Notices arrive in commit order, but a catch-up read may bring an older state afterwards.
    if (known && known.at > notice.at) return;
    this.accounts.set(notice.userId, notice);
  }

  /**
   * The actor as the account stands now: refused (401) when its session ended or its account is
   * disabled, deleted or signed out since the token was issued; with the account's current role
   * when it changed (a demoted admin then gets 403 where only admins may go). Works on any actor,
   * so it applies to tokens without a session (issued before sessions, or by an OpenID provider).
   */
  admit(actor: Actor): Actor {
    if (actor.sessionId !== undefined && this.endedSessions.has(actor.sessionId)) {
      throw new InvalidAccessToken();
    }
    const account = this.accounts.get(actor.userId);
    if (!account) return actor;
    if (account.status !== 'active' || account.role === null) throw new InvalidAccessToken();
    if (
      actor.sessionId === undefined &&
      account.signedOutAt !== null &&
      // `iat` has whole seconds: a token of the same second as the sign-out is refused too.
      (actor.issuedAt ?? 0) * 1000 <= account.signedOutAt
    ) {
      throw new InvalidAccessToken();
    }
    return account.role === actor.role ? actor : Object.freeze({ ...actor, role: account.role });
  }

  /** Drops what no live token can concern any more; run with each periodic catch-up. */
  forgetOlderThanRemembered(nowMs: number): void {
    const before = nowMs - this.rememberMs;
    for (const [id, at] of this.endedSessions) if (at < before) this.endedSessions.delete(id);
    for (const [id, account] of this.accounts) {
      if (account.at < before && account.status !== 'disabled') this.accounts.delete(id);
    }
  }

  /** How long a notice must be remembered (ms): catch-up reads look back this far. */
  get rememberedForMs(): number {
    return this.rememberMs;
  }
}

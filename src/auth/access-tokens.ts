import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '../config/config.module.js';
import { ROLES, type Role } from './roles.js';
import type { Actor } from './actor.js';
import { InvalidAccessToken } from './auth.errors.js';
import { AccessTokenClaims } from './access-token-claims.js';

export const TOKEN_ISSUER = 'keel';
export const TOKEN_AUDIENCE = 'keel-api';
/** Pinned: a token that names another algorithm (`none`, RS256 with our secret as a key) is refused. */
export const TOKEN_ALGORITHM = 'HS256';

interface Claims {
  sub: string;
  role: Role;
  cid: string | null;
  /** The session (src/modules/accounts/sessions); absent in tokens issued before sessions. */
  sid?: string;
}

export interface IssuedToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** Tokens verified lately: a client sends the same token with every request until it expires. */
const VERIFIED_TOKENS_KEPT = 1024;

/**
 * Signs and verifies access tokens; the options live in AuthModule's JwtModule registration.
 *
 * A token whose signature and claims were verified is kept (the last 1,024) with its actor and
 * expiry: the same string verifies the same way until `exp`, which is checked on every use. What
 * is kept is only the signature's verdict: whether the token's session or account was revoked since
 * is asked of RevocationList on every request, after this (docs/decisions/0161-revocation-at-once.md).
 * Verifying costs ~15 µs, a lookup well under one (docs/decisions/0113-verified-token-cache.md).
 */
@Injectable()
export class AccessTokens {
  private readonly expiresIn: number;
  private readonly verified = new Map<string, { actor: Actor; expiresAtMs: number }>();

  constructor(
    private readonly jwt: JwtService,
    @Inject(ConfigService) config: AppConfig,
    private readonly claims: AccessTokenClaims,
  ) {
    this.expiresIn = config.get('JWT_EXPIRES_IN', { infer: true });
  }

  async issue(actor: Actor): Promise<IssuedToken> {
    const claims: Claims = { sub: actor.userId, role: actor.role, cid: actor.customerId };
    if (actor.sessionId !== undefined) claims.sid = actor.sessionId;
    const accessToken = await this.jwt.signAsync(claims);
    return { accessToken, tokenType: 'Bearer', expiresIn: this.expiresIn };
  }

  /** Whatever is wrong with the token, the caller learns only that it is invalid or expired. */
  async verify(token: string): Promise<Actor> {
    const known = this.known(token);
    if (known) return known;
    const { actor, exp } = await this.verifySignature(token);
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) {
      this.verified.delete(this.verified.keys().next().value!);
    }
    this.verified.set(token, { actor, expiresAtMs: exp * 1000 });
    return actor;
  }

  /** The actor of a token verified before and not expired since, without a promise; else nothing. */
  known(token: string): Actor | undefined {
    const kept = this.verified.get(token);
    if (!kept) return undefined;
    // jsonwebtoken's rule: expired from the second `exp` names.
    if (Date.now() < kept.expiresAtMs) return kept.actor;
    this.verified.delete(token);
    return undefined;
  }

  private async verifySignature(token: string): Promise<{ actor: Actor; exp: number }> {
    // The identity mode's one verifier (jose); it throws InvalidAccessToken itself (decision 0165).
    const claims: Partial<Claims & { exp: unknown; iat: unknown }> = await this.claims.read(token);
    const { sub, role, cid, sid, exp, iat } = claims;
    // jsonwebtoken checks `exp` only when present: a token without one would never expire, and
    // nothing can revoke a token (docs/decisions/0020-jwt-access-tokens.md).
    if (typeof exp !== 'number') throw new InvalidAccessToken();
    if (typeof sub !== 'string' || !ROLES.includes(role as Role)) throw new InvalidAccessToken();
    if (sid !== undefined && typeof sid !== 'string') throw new InvalidAccessToken();
    // Frozen: requests that send the same token share it.
    const actor: Actor = Object.freeze({
      userId: sub,
      role: role as Role,
      customerId: typeof cid === 'string' ? cid : null,
      ...(sid === undefined ? {} : { sessionId: sid }),
      ...(typeof iat === 'number' ? { issuedAt: iat } : {}),
    });
    return { actor, exp };
  }
}

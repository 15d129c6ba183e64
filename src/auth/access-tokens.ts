import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '../config/config.module.js';
import { ROLES, type Role } from './roles.js';
import type { Actor } from './actor.js';
import { InvalidAccessToken } from './auth.errors.js';

export const TOKEN_ISSUER = 'keel';
export const TOKEN_AUDIENCE = 'keel-api';
/** Pinned: a token that names another algorithm (`none`, RS256 with our secret as a key) is refused. */
export const TOKEN_ALGORITHM = 'HS256';

interface Claims {
  sub: string;
  role: Role;
  cid: string | null;
}

export interface IssuedToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

/** Signs and verifies access tokens; the options live in AuthModule's JwtModule registration. */
@Injectable()
export class AccessTokens {
  private readonly expiresIn: number;

  constructor(
    private readonly jwt: JwtService,
    @Inject(ConfigService) config: AppConfig,
  ) {
    this.expiresIn = config.get('JWT_EXPIRES_IN', { infer: true });
  }

  async issue(actor: Actor): Promise<IssuedToken> {
    const claims: Claims = { sub: actor.userId, role: actor.role, cid: actor.customerId };
    const accessToken = await this.jwt.signAsync(claims);
    return { accessToken, tokenType: 'Bearer', expiresIn: this.expiresIn };
  }

  /** Whatever is wrong with the token, the caller learns only that it is invalid or expired. */
  async verify(token: string): Promise<Actor> {
    let claims: Partial<Claims & { exp: unknown }>;
    try {
      claims = await this.jwt.verifyAsync<typeof claims>(token);
    } catch {
      throw new InvalidAccessToken();
    }
    const { sub, role, cid, exp } = claims;
    // jsonwebtoken checks `exp` only when present: a token without one would never expire, and
    // nothing can revoke a token (docs/decisions/0020-jwt-access-tokens.md).
    if (typeof exp !== 'number') throw new InvalidAccessToken();
    if (typeof sub !== 'string' || !ROLES.includes(role as Role)) throw new InvalidAccessToken();
    return { userId: sub, role: role as Role, customerId: typeof cid === 'string' ? cid : null };
  }
}

import { type JWTPayload, type JWTVerifyGetKey, jwtVerify } from 'jose';
import { InvalidAccessToken } from './auth.errors.js';

export interface TokenRules {
  /** The only algorithms accepted, whatever the token's header says (no `none`, no confusion). */
  algorithms: readonly string[];
  /** Compared exactly: no trailing-slash or case leniency. */
  issuer: string;
  /** Required: the token's `aud` must contain it (a provider's default audience is not Keel's). */
  audience: string;
  /** Allowed difference between the issuer's clock and ours, for `exp` and `nbf`. */
  clockSkewSeconds: number;
}

/** Where the verification key comes from: a fixed key (built-in mode), or the provider's key set. */
export type VerificationKey = JWTVerifyGetKey;

/**
 * The one access-token verifier of both identity modes (decision 0165), on `jose`: signature with
 * a pinned algorithm list, exact `iss`, required `aud`, `exp` required and `nbf` honoured within
 * the skew. Whatever is wrong, the caller learns only InvalidAccessToken; `onKeyFailure` hears
 * about key-set failures (provider unreachable), which are the operator's business, not the client's.
 */
export class TokenVerifier {
  constructor(
    private readonly key: VerificationKey,
    private readonly rules: TokenRules,
  ) {}

  async verify(token: string): Promise<JWTPayload & { exp: number }> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: [...this.rules.algorithms],
        issuer: this.rules.issuer,
        audience: this.rules.audience,
        clockTolerance: this.rules.clockSkewSeconds,
        // jose checks `exp` only when present: a token without one would never expire.
        requiredClaims: ['exp'],
      });
      return payload as JWTPayload & { exp: number };
    } catch {
      throw new InvalidAccessToken();
    }
  }
}

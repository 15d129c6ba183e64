/**
 * What an access token says in Keel's terms, once verified: `sub` (the account id), `role`, `cid`
 * (its customer record) and `exp`. Each identity mode provides one (decision 0165): built-in
 * accounts read their own signed claims (built-in-identity.module.ts); the team's OpenID provider's
 * tokens are verified with its keys and mapped to an account (oidc/). AccessTokens keeps what it
 * answers, so this runs once per token.
 */
export abstract class AccessTokenClaims {
  /** Throws InvalidAccessToken for any token that is not valid, whatever the reason. */
  abstract read(token: string): Promise<Record<string, unknown>>;
}

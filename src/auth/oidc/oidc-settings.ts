import type { AppConfig } from '../../config/config.module.js';
import { parseRoleMap, type RoleMap } from './role-map.js';

/**
 * The provider's asymmetric signature algorithms; never `none` and never HS*: an HS256 token
 * "signed" with the provider's public key must not pass (algorithm confusion). jose also checks
 * that the key found for the `kid` fits the algorithm.
 */
export const PROVIDER_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA', 'Ed25519'] as const;

export interface OidcSettings {
  issuer: string;
  audience: string;
  /** Keys from an internal address while tokens name the public issuer; unset: from discovery. */
  jwksUri: string | undefined;
  rolesClaim: string;
  roleMap: RoleMap;
  jwksCooldownMs: number;
  jwksCacheMaxAgeMs: number;
  clockSkewSeconds: number;
}

/** The OIDC_* variables, checked at start (src/config/environment.ts), in this room's terms. */
export function oidcSettings(config: AppConfig): OidcSettings {
  return {
    issuer: config.get('OIDC_ISSUER', { infer: true }),
    audience: config.get('OIDC_AUDIENCE', { infer: true }),
    jwksUri: config.get('OIDC_JWKS_URI', { infer: true }),
    rolesClaim: config.get('OIDC_ROLES_CLAIM', { infer: true }),
    roleMap: parseRoleMap(config.get('OIDC_ROLE_MAP', { infer: true })),
    jwksCooldownMs: config.get('OIDC_JWKS_COOLDOWN_MS', { infer: true }),
    jwksCacheMaxAgeMs: config.get('OIDC_JWKS_CACHE_MAX_AGE_MS', { infer: true }),
    clockSkewSeconds: config.get('TOKEN_CLOCK_SKEW_SECONDS', { infer: true }),
  };
}

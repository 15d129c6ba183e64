import { Inject, Injectable } from '@nestjs/common';
import type { JWTPayload } from 'jose';
import { AccessTokenClaims } from '../access-token-claims.js';
import { InvalidAccessToken } from '../auth.errors.js';
import { TokenVerifier } from '../token-verifier.js';
import { AccountLinks } from './account-links.js';
import { rolesAt } from './claim-path.js';
import { OIDC_SETTINGS } from './oidc.tokens.js';
import { PROVIDER_ALGORITHMS, type OidcSettings } from './oidc-settings.js';
import { ProviderKeys } from './provider-keys.js';
import { keelRole } from './role-map.js';

/** The longest name a customer record takes (CUSTOMER_TEXT_LIMITS; src/auth knows no domain). */
const NAME_LIMIT = 200;

const nameOf = (payload: JWTPayload & { sub: string }): string => {
  const name = [payload.name, payload.preferred_username].find(
    (value): value is string => typeof value === 'string' && value.trim() !== '',
  );
  return [...(name ?? payload.sub)].slice(0, NAME_LIMIT).join('');
};

/**
 * A provider's access token in Keel's terms: verified by the one TokenVerifier with the provider's
 * keys, exact issuer and required audience; its roles claim mapped to a Keel role (none that maps:
 * refused); its (issuer, subject) linked to a Keel account with its customer record.
 */
@Injectable()
export class ProviderTokenClaims extends AccessTokenClaims {
  private readonly verifier: TokenVerifier;

  constructor(
    @Inject(OIDC_SETTINGS) private readonly settings: OidcSettings,
    keys: ProviderKeys,
    private readonly links: AccountLinks,
  ) {
    super();
    this.verifier = new TokenVerifier(keys.getKey, {
      algorithms: PROVIDER_ALGORITHMS,
      issuer: settings.issuer,
      audience: settings.audience,
      clockSkewSeconds: settings.clockSkewSeconds,
    });
  }

  async read(token: string): Promise<Record<string, unknown>> {
    const payload = await this.verifier.verify(token);
    const { sub } = payload;
    const role = keelRole(rolesAt(payload, this.settings.rolesClaim), this.settings.roleMap);
    if (typeof sub !== 'string' || sub === '' || !role) throw new InvalidAccessToken();
    const account = await this.links.accountOf({
      issuer: this.settings.issuer,
      subject: sub,
      role,
      name: nameOf({ ...payload, sub }),
    });
    return { sub: account.userId, role, cid: account.customerId, exp: payload.exp };
  }
}

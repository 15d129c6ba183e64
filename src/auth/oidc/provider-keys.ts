import { Inject, Injectable } from '@nestjs/common';
import {
  type JWTVerifyGetKey,
  type RemoteJWKSet,
  createLocalJWKSet,
  createRemoteJWKSet,
  customFetch,
  errors,
} from 'jose';
import { discover, type ProviderMetadata } from './provider-metadata.js';
import { ProviderRequests } from './provider-requests.js';
import { OIDC_SETTINGS } from './oidc.tokens.js';
import type { OidcSettings } from './oidc-settings.js';

/**
 * The provider's signing keys, fetched when a token first needs them and kept (jose's
 * createRemoteJWKSet): a `kid` not in the set fetches it again at most once per
 * OIDC_JWKS_COOLDOWN_MS, so a rotation K1 → K1+K2 → K2 is followed without a restart and a flood of
 * random `kid`s costs the provider one request per cooldown. When the provider cannot be reached,
 * the keys last fetched keep verifying the tokens they signed (jose would refuse every token once
 * its cache is older than cacheMaxAge and the refetch fails).
 */
@Injectable()
export class ProviderKeys {
  private metadataRequest?: Promise<ProviderMetadata>;
  /** The discovery document once fetched, for what cannot wait for it (the OpenAPI document). */
  known?: ProviderMetadata;
  /** One key set for every request: concurrent first tokens must not each fetch it. */
  private keySet?: Promise<RemoteJWKSet>;

  constructor(
    @Inject(OIDC_SETTINGS) private readonly settings: OidcSettings,
    private readonly requests: ProviderRequests,
  ) {}

  /** The discovery document, fetched once it succeeds; a failure is retried after the cooldown. */
  metadata(): Promise<ProviderMetadata> {
    this.metadataRequest ??= discover(this.settings.issuer, this.requests).then(
      (metadata) => (this.known = metadata),
      (error: unknown) => {
        this.metadataRequest = undefined;
        throw error;
      },
    );
    return this.metadataRequest;
  }

  /** The key for a token's header, for jose's jwtVerify. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    this.keySet ??= this.remoteKeySet().catch((error: unknown) => {
      this.keySet = undefined;
      throw error;
    });
    const keySet = await this.keySet;
    try {
      return await keySet(header, token);
    } catch (error) {
      // An unknown or ambiguous `kid` after a refetch: the token's problem, not the provider's.
      if (error instanceof errors.JWKSNoMatchingKey) throw error;
      if (error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      const lastKnown = keySet.jwks();
      if (!lastKnown) throw error;
      return createLocalJWKSet(lastKnown)(header, token);
    }
  };

  private async remoteKeySet(): Promise<RemoteJWKSet> {
    const uri = this.settings.jwksUri ?? (await this.metadata()).jwks_uri;
    return createRemoteJWKSet(new URL(uri), {
      cooldownDuration: this.settings.jwksCooldownMs,
      cacheMaxAge: this.settings.jwksCacheMaxAgeMs,
      [customFetch]: (url, init) =>
        this.requests.run('jwks', async () => {
          const response = await fetch(url, init);
          if (response.status !== 200) throw new Error(`jwks_uri answered HTTP ${response.status}`);
          return response;
        }),
    });
  }
}

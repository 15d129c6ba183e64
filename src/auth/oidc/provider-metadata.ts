import type { ProviderRequests } from './provider-requests.js';

/** What Keel uses of the provider's discovery document (OpenID Connect Discovery 1.0 §3). */
export interface ProviderMetadata {
  issuer: string;
  jwks_uri: string;
  authorization_endpoint?: string;
  token_endpoint?: string;
}

const DISCOVERY_TIMEOUT_MS = 5000;

/** `<issuer>/.well-known/openid-configuration`, a trailing `/` of the issuer removed first (§4). */
export const discoveryUrl = (issuer: string): string =>
  `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;

/**
 * Fetches and checks the discovery document. Its `issuer` must be exactly OIDC_ISSUER (§4.3): a
 * mismatch is a misconfiguration to fix, never a reason to loosen the token's `iss` check.
 */
export function discover(issuer: string, requests: ProviderRequests): Promise<ProviderMetadata> {
  return requests.run('discovery', async () => {
    const response = await fetch(discoveryUrl(issuer), {
      redirect: 'manual',
      signal: AbortSignal.timeout(DISCOVERY_TIMEOUT_MS),
    });
    if (response.status !== 200) throw new Error(`discovery answered HTTP ${response.status}`);
    const metadata = (await response.json()) as Partial<ProviderMetadata>;
    if (metadata.issuer !== issuer) {
      throw new Error(
        `the discovery document names the issuer ${JSON.stringify(metadata.issuer)}, not OIDC_ISSUER ${JSON.stringify(issuer)}`,
      );
    }
    if (typeof metadata.jwks_uri !== 'string') {
      throw new Error('the discovery document has no jwks_uri');
    }
    return metadata as ProviderMetadata;
  });
}

import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import Provider from 'oidc-provider';

/** A private signing key as the provider's `jwks` option takes it. */
export type SigningKey = JWK & { kid: string };

export async function newSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), kid, alg: 'RS256', use: 'sig' };
}

/** The public half, as the provider publishes it at its jwks_uri. */
export function publicHalf({ kid, kty, n, e, alg }: SigningKey): JWK {
  return { kid, kty, n, e, alg, use: 'sig' };
}

/** Test clients (client_credentials) and the roles claim each one's tokens carry. */
export const PERSONAS = {
  admin: { clientId: 'keel-admin-app', roles: ['keel-admins'] },
  customer: { clientId: 'keel-customer-app', roles: ['customer'] },
  otherCustomer: { clientId: 'keel-other-customer-app', roles: ['customer'] },
  nobody: { clientId: 'keel-unmapped-app', roles: ['auditors'] },
} as const;
export type Persona = keyof typeof PERSONAS;

const secretOf = (clientId: string): string => `${clientId}-secret-for-tests-only`;

export interface ProviderOptions {
  /** The resource server: Keel's OIDC_AUDIENCE, an absolute URI (RFC 8707). */
  audience: string;
  /** Published at the jwks_uri, in this order. */
  keys: SigningKey[];
  /** Which of them signs access tokens; the first by default. */
  signingKid?: string;
}

/**
 * panva's oidc-provider (OpenID Certified) on 127.0.0.1 with its in-memory storage: clients allowed
 * client_credentials, JWT access tokens for one resource server, and a Keycloak-style roles claim
 * (`realm_access.roles`). `restart` brings it back on the same port with other keys (rotation);
 * `jwksRequests` counts what Keel asked of its key endpoint.
 */
export class TestProvider {
  jwksRequests = 0;
  private server?: Server;

  private constructor(
    readonly port: number,
    private options: ProviderOptions,
  ) {}

  get issuer(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  static async start(port: number, options: ProviderOptions): Promise<TestProvider> {
    const provider = new TestProvider(port, options);
    await provider.listen();
    return provider;
  }

  async restart(options: Partial<ProviderOptions>): Promise<void> {
    await this.stop();
    this.options = { ...this.options, ...options };
    await this.listen();
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((closed) => server.close(() => closed()));
  }

  /** An access token for Keel, as a client of this persona gets it (client_credentials). */
  async token(persona: Persona): Promise<string> {
    const { clientId } = PERSONAS[persona];
    const request = () =>
      fetch(`${this.issuer}/token`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${clientId}:${secretOf(clientId)}`).toString('base64')}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          resource: this.options.audience,
          scope: 'api',
        }),
      });
    // After a restart the first POST may go out on a kept-alive socket of the old server.
    const response = await request().catch(request);
    const body = (await response.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`token endpoint: ${JSON.stringify(body)}`);
    return body.access_token;
  }

  private async listen(): Promise<void> {
    const { audience, keys, signingKid = keys[0].kid } = this.options;
    const rolesOf = new Map<string, readonly string[]>(
      Object.values(PERSONAS).map(({ clientId, roles }) => [clientId, roles]),
    );
    const provider = quietly(
      () =>
        new Provider(this.issuer, {
          clients: Object.values(PERSONAS).map(({ clientId }) => ({
            client_id: clientId,
            client_secret: secretOf(clientId),
            grant_types: ['client_credentials'],
            redirect_uris: [],
            response_types: [],
          })),
          jwks: { keys },
          features: {
            clientCredentials: { enabled: true },
            resourceIndicators: {
              enabled: true,
              defaultResource: () => audience,
              useGrantedResource: () => true,
              getResourceServerInfo: () => ({
                scope: 'api',
                audience,
                accessTokenFormat: 'jwt',
                jwt: { sign: { alg: 'RS256', kid: signingKid } },
              }),
            },
          },
          ttl: { ClientCredentials: 600 },
          extraTokenClaims: (_, token) => {
            const clientId = (token as { clientId?: string }).clientId ?? '';
            return { realm_access: { roles: [...(rolesOf.get(clientId) ?? [])] } };
          },
        }),
    );
    const handle = provider.callback();
    const server = createServer((request, response) => {
      if (request.url?.startsWith('/jwks')) this.jwksRequests += 1;
      void handle(request, response);
    });
    await new Promise<void>((listening) => server.listen(this.port, '127.0.0.1', listening));
    this.server = server;
  }
}

/** The provider warns on the console about its development defaults (in-memory storage): expected here. */
/* eslint-disable no-console -- silencing oidc-provider's own console.warn while it is built */
function quietly<T>(make: () => T): T {
  const warn = console.warn;
  console.warn = () => undefined;
  try {
    return make();
  } finally {
    console.warn = warn;
  }
}
/* eslint-enable no-console */

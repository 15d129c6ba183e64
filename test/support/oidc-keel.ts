import { type BuiltApp, startBuiltApp } from './spawned-app.js';

export interface KeelReply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export interface BuiltAppFor extends BuiltApp {
  bearer(token: string): Record<string, string>;
  get(path: string, headers?: Record<string, string>): Promise<KeelReply>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<KeelReply>;
  metrics(): Promise<string>;
}

/**
 * The built app in production mode pointed at a test OpenID provider (Keycloak-style roles claim,
 * `keel-admins` mapped to admin, `customer` as it is). It inherits the run's JWT_SECRET and admin
 * variables, which this mode ignores.
 */
export async function startOidcKeel(
  issuer: string,
  audience: string,
  env: Record<string, string | undefined> = {},
): Promise<BuiltAppFor> {
  const app = await startBuiltApp({
    OIDC_ISSUER: issuer,
    OIDC_AUDIENCE: audience,
    OIDC_ROLES_CLAIM: 'realm_access.roles',
    OIDC_ROLE_MAP: 'keel-admins=admin',
    ...env,
  });
  const request = async (method: string, path: string, body?: unknown, headers = {}) => {
    const response = await fetch(`${app.base}${path}`, {
      method,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    const json = /json/.test(response.headers.get('content-type') ?? '') && text;
    return {
      status: response.status,
      headers: response.headers,
      body: (json ? JSON.parse(text) : {}) as Record<string, unknown>,
    };
  };
  return {
    ...app,
    bearer: (token) => ({ authorization: `Bearer ${token}` }),
    get: (path, headers) => request('GET', path, undefined, headers),
    post: (path, body, headers) => request('POST', path, body, headers),
    metrics: async () => (await fetch(`${app.base}/metrics`)).text(),
  };
}

import { generateKeyPair, SignJWT } from 'jose';
import { randomUUID } from 'node:crypto';
import { freePort } from './support/free-port.js';
import { newSigningKey, TestProvider } from './support/oidc-provider.js';
import { type BuiltAppFor, startOidcKeel } from './support/oidc-keel.js';
import { spawnApp } from './support/spawned-app.js';

const AUDIENCE = 'https://api.keel.test';

describe('OIDC mode when the provider is down or flooded', () => {
  let port: number;
  let provider: TestProvider | undefined;
  let keel: BuiltAppFor;

  beforeAll(async () => {
    port = await freePort();
    // Nothing listens on the provider's port yet; the default cooldown (30 s) applies.
    keel = await startOidcKeel(`http://127.0.0.1:${port}`, AUDIENCE, {
      OIDC_JWKS_URI: `http://127.0.0.1:${port}/jwks`,
    });
  }, 60_000);

  afterAll(async () => {
    keel?.child.kill('SIGKILL');
    await provider?.stop();
  });

  it('starts, is ready, logs and counts a provider that is down', async () => {
    expect((await fetch(`${keel.base}/health/ready`)).status).toBe(200);
    expect((await fetch(`${keel.base}/api/v1/status`)).status).toBe(200);
    expect(await keel.metrics()).toMatch(
      /oidc_provider_requests_total\{document="discovery",outcome="failed"\} 1/,
    );
    expect(keel.output()).toMatch(/OpenID provider's discovery could not be fetched/);
  });

  it('warns once that the built-in variables are ignored', () => {
    const warnings = keel.output().match(/JWT_SECRET, ADMIN_EMAIL, ADMIN_PASSWORD ignored/g);
    expect(warnings).toHaveLength(1);
  });

  it('asks the provider for keys at most twice for 1,000 tokens with random kids, none cached yet', async () => {
    provider = await TestProvider.start(port, {
      audience: AUDIENCE,
      keys: [await newSigningKey('k1')],
    });
    const { privateKey } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    const forge = () =>
      new SignJWT({ iss: provider!.issuer, aud: AUDIENCE, sub: 'x', exp: now + 300 })
        .setProtectedHeader({ alg: 'RS256', kid: randomUUID() })
        .sign(privateKey);
    const tokens = await Promise.all(Array.from({ length: 1000 }, forge));
    provider.jwksRequests = 0;
    const statuses: number[] = [];
    for (let start = 0; start < tokens.length; start += 50) {
      const batch = tokens.slice(start, start + 50);
      statuses.push(
        ...(await Promise.all(
          batch.map(
            async (token) => (await keel.get('/api/v1/users/me', keel.bearer(token))).status,
          ),
        )),
      );
    }
    expect(new Set(statuses)).toEqual(new Set([401]));
    expect(provider.jwksRequests).toBeLessThanOrEqual(2);
  }, 60_000);

  it('serves the provider’s tokens once it is up, without a restart', async () => {
    const reply = await keel.get('/api/v1/users/me', keel.bearer(await provider!.token('admin')));
    expect(reply.status).toBe(200);
  });
});

describe('OIDC configuration errors stop the start with one line naming the variable', () => {
  const startWith = async (env: Record<string, string>) => {
    const app = spawnApp({
      NODE_ENV: 'production',
      DATABASE_URL: process.env.DATABASE_URL,
      HOST: '127.0.0.1',
      PORT: String(await freePort()),
      ...env,
    });
    let stderr = '';
    app.child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const { code } = await app.exited;
    return { code, lines: stderr.trim().split('\n') };
  };

  it.each([
    ['OIDC_AUDIENCE', { OIDC_ISSUER: 'https://id.example.com/realms/keel' }],
    ['OIDC_ISSUER', { OIDC_ISSUER: 'id.example.com', OIDC_AUDIENCE: 'keel-api' }],
    [
      'OIDC_ROLE_MAP',
      {
        OIDC_ISSUER: 'https://id.example.com/realms/keel',
        OIDC_AUDIENCE: 'keel-api',
        OIDC_ROLE_MAP: 'keel-admins=root',
      },
    ],
    [
      'OIDC_ROLES_CLAIM',
      {
        OIDC_ISSUER: 'https://id.example.com/realms/keel',
        OIDC_AUDIENCE: 'keel-api',
        OIDC_ROLES_CLAIM: 'realm_access..roles',
      },
    ],
    [
      'OIDC_JWKS_URI',
      {
        OIDC_ISSUER: 'https://id.example.com/realms/keel',
        OIDC_AUDIENCE: 'keel-api',
        OIDC_JWKS_URI: 'not a url',
      },
    ],
  ])('names %s', async (name, env) => {
    const { code, lines } = await startWith(env);
    expect(code).toBe(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(name);
  });
});

import { createPublicKey, randomUUID } from 'node:crypto';
import { type CryptoKey, generateKeyPair, importJWK, type JWTPayload, SignJWT } from 'jose';
import { Validator } from '@seriousme/openapi-schema-validator';
import { freePort } from './support/free-port.js';
import {
  newSigningKey,
  type Persona,
  publicHalf,
  type SigningKey,
  TestProvider,
} from './support/oidc-provider.js';
import { type BuiltAppFor, startOidcKeel } from './support/oidc-keel.js';

const AUDIENCE = 'https://api.keel.test';

const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('OIDC mode: Keel as a resource server of the team’s OpenID provider', () => {
  let k1: SigningKey;
  let provider: TestProvider;
  let keel: BuiltAppFor;
  let k1Private: CryptoKey;

  beforeAll(async () => {
    k1 = await newSigningKey('k1');
    k1Private = (await importJWK(k1, 'RS256')) as CryptoKey;
    provider = await TestProvider.start(await freePort(), { audience: AUDIENCE, keys: [k1] });
    // Small cooldown and cache age: the rotation below happens within seconds, not minutes.
    keel = await startOidcKeel(provider.issuer, AUDIENCE, {
      OIDC_JWKS_COOLDOWN_MS: '1000',
      OIDC_JWKS_CACHE_MAX_AGE_MS: '3000',
    });
  }, 60_000);

  afterAll(async () => {
    keel?.child.kill('SIGKILL');
    await provider?.stop();
  });

  const as = async (persona: Persona) => keel.bearer(await provider.token(persona));

  /** Valid claims for Keel's audience, signed with the provider's K1 unless told otherwise. */
  const claims = (overrides: JWTPayload = {}): JWTPayload => {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: provider.issuer,
      aud: AUDIENCE,
      sub: 'keel-admin-app',
      iat: now,
      exp: now + 300,
      realm_access: { roles: ['keel-admins'] },
      ...overrides,
    };
  };
  const signedWithK1 = (payload: JWTPayload, kid = k1.kid) =>
    new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid, typ: 'at+jwt' }).sign(k1Private);

  describe('tokens the provider issues', () => {
    it('lets the admin persona list every customer, and the customer persona only its own record', async () => {
      const customer = await as('customer');
      const me = await keel.get('/api/v1/users/me', customer);
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ role: 'customer', customerId: expect.any(String) });
      const other = await keel.get('/api/v1/users/me', await as('otherCustomer'));
      expect(other.body.customerId).not.toBe(me.body.customerId);

      const mine = await keel.get('/api/v1/customers?limit=100', customer);
      expect(mine.status).toBe(200);
      expect((mine.body.items as { id: string }[]).map(({ id }) => id)).toEqual([
        me.body.customerId,
      ]);
      expect(
        (await keel.get(`/api/v1/customers/${String(other.body.customerId)}`, customer)).status,
      ).toBe(404);

      const admin = await as('admin');
      expect((await keel.get('/api/v1/users/me', admin)).body).toMatchObject({
        role: 'admin',
        customerId: null,
      });
      const everyone = await keel.get('/api/v1/customers?limit=100', admin);
      expect(everyone.status).toBe(200);
      expect((everyone.body.items as unknown[]).length).toBeGreaterThan(1);
      const seenByAdmin = await keel.get(
        `/api/v1/customers/${String(other.body.customerId)}`,
        admin,
      );
      expect(seenByAdmin.status).toBe(200);
    });

    it('finds the same account for every token of one subject', async () => {
      const first = await keel.get('/api/v1/users/me', await as('customer'));
      const second = await keel.get('/api/v1/users/me', await as('customer'));
      expect(second.body.id).toBe(first.body.id);
      expect(second.body.customerId).toBe(first.body.customerId);
    });

    it('refuses with 401 a valid token whose roles map to no Keel role', async () => {
      const reply = await keel.get('/api/v1/users/me', await as('nobody'));
      expect(reply.status).toBe(401);
    });
  });

  describe('tokens crafted with jose', () => {
    const crafted: [string, () => Promise<string>][] = [
      [
        'alg none',
        () => Promise.resolve(`${encode({ alg: 'none', typ: 'JWT' })}.${encode(claims())}.`),
      ],
      [
        'HS256 signed with the provider’s public key',
        () => {
          const pem = createPublicKey({ key: publicHalf(k1), format: 'jwk' }).export({
            type: 'spki',
            format: 'pem',
          });
          return new SignJWT(claims())
            .setProtectedHeader({ alg: 'HS256', kid: k1.kid })
            .sign(new TextEncoder().encode(String(pem)));
        },
      ],
      ['a wrong issuer', () => signedWithK1(claims({ iss: 'http://127.0.0.1:1/other' }))],
      [
        'the issuer with a trailing slash',
        () => signedWithK1(claims({ iss: `${provider.issuer}/` })),
      ],
      ['a wrong audience', () => signedWithK1(claims({ aud: 'account' }))],
      ['no audience', () => signedWithK1(claims({ aud: undefined }))],
      ['an expired token', () => signedWithK1(claims({ exp: Math.floor(Date.now() / 1000) - 60 }))],
      ['no exp', () => signedWithK1(claims({ exp: undefined }))],
      [
        'nbf in the future',
        () => signedWithK1(claims({ nbf: Math.floor(Date.now() / 1000) + 120 })),
      ],
      [
        'a signature by another key under K1’s kid',
        async () => {
          const { privateKey } = await generateKeyPair('RS256');
          return new SignJWT(claims())
            .setProtectedHeader({ alg: 'RS256', kid: k1.kid })
            .sign(privateKey);
        },
      ],
    ];

    it('accepts the control: the same claims, well signed', async () => {
      expect(
        (await keel.get('/api/v1/users/me', keel.bearer(await signedWithK1(claims())))).status,
      ).toBe(200);
    });

    it.each(crafted)('refuses %s with a 401 problem', async (_, make) => {
      const reply = await keel.get('/api/v1/users/me', keel.bearer(await make()));
      expect(reply.status).toBe(401);
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    });
  });

  describe('built-in accounts are not offered', () => {
    it.each(['register', 'login'])('answers POST /api/v1/auth/%s 404', async (route) => {
      const reply = await keel.post(`/api/v1/auth/${route}`, {
        email: 'someone@example.com',
        password: 'a-long-enough-password',
        name: 'Someone',
      });
      expect(reply.status).toBe(404);
    });

    it('leaves them out of /docs-json, which describes the provider’s OAuth 2 flows instead', async () => {
      const document = (await keel.get('/docs-json')).body as {
        paths: Record<string, unknown>;
        components: { securitySchemes: Record<string, Record<string, unknown>> };
      };
      expect(Object.keys(document.paths).filter((path) => path.startsWith('/api/v1/auth'))).toEqual(
        [],
      );
      expect(document.paths).toHaveProperty(['/api/v1/users/me']);
      const validation = await new Validator().validate(document);
      expect(validation.errors ?? []).toEqual([]);
      expect(document.components.securitySchemes.provider).toMatchObject({
        type: 'oauth2',
        flows: {
          clientCredentials: { tokenUrl: `${provider.issuer}/token` },
          authorizationCode: {
            authorizationUrl: `${provider.issuer}/auth`,
            tokenUrl: `${provider.issuer}/token`,
          },
        },
      });
    });
  });

  describe('the provider’s keys over time', () => {
    it('keeps serving tokens whose keys it has while the provider is down, past the cache age', async () => {
      const token = await provider.token('admin');
      await provider.stop();
      // Past OIDC_JWKS_CACHE_MAX_AGE_MS: jose alone would refetch, fail and refuse.
      await new Promise((wait) => setTimeout(wait, 3500));
      expect((await keel.get('/api/v1/users/me', keel.bearer(token))).status).toBe(200);
      const metrics = await keel.metrics();
      expect(metrics).toMatch(
        /oidc_provider_requests_total\{document="jwks",outcome="failed"\} [1-9]/,
      );
    }, 20_000);

    it('follows a rotation K1 → K1+K2 → K2 without a restart', async () => {
      const k2 = await newSigningKey('k2');
      const signedByK1 = await signedWithK1(claims());

      await provider.restart({ keys: [k2, k1], signingKid: k2.kid });
      // The cooldown after the failures above has passed: K2's unknown kid fetches the new set.
      await new Promise((wait) => setTimeout(wait, 1100));
      const signedByK2 = await provider.token('admin');
      expect((await keel.get('/api/v1/users/me', keel.bearer(signedByK2))).status).toBe(200);
      expect((await keel.get('/api/v1/users/me', keel.bearer(signedByK1))).status).toBe(200);

      await provider.restart({ keys: [k2], signingKid: k2.kid });
      expect((await keel.get('/api/v1/users/me', await as('customer'))).status).toBe(200);
      // Once the set is fetched again (cache age), K1 is gone: a new token under K1 is refused.
      await new Promise((wait) => setTimeout(wait, 3500));
      expect((await keel.get('/api/v1/users/me', await as('admin'))).status).toBe(200);
      const lateK1 = await signedWithK1(claims({ jti: randomUUID() }));
      expect((await keel.get('/api/v1/users/me', keel.bearer(lateK1))).status).toBe(401);
    }, 30_000);
  });
});

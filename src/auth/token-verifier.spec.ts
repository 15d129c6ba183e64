import { generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { InvalidAccessToken } from './auth.errors.js';
import { TokenVerifier } from './token-verifier.js';

const rules = {
  algorithms: ['ES256'],
  issuer: 'https://id.example.com/realms/keel',
  audience: 'keel-api',
  clockSkewSeconds: 10,
};
const now = () => Math.floor(Date.now() / 1000);

describe('TokenVerifier', () => {
  let sign: (payload: JWTPayload) => Promise<string>;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    sign = (payload) => new SignJWT(payload).setProtectedHeader({ alg: 'ES256' }).sign(privateKey);
    verifier = new TokenVerifier(() => publicKey, rules);
  });

  const valid = (overrides: JWTPayload = {}): JWTPayload => ({
    iss: rules.issuer,
    aud: ['account', rules.audience],
    sub: 'ada',
    exp: now() + 60,
    ...overrides,
  });

  it('answers the payload of a token that passes every rule', async () => {
    await expect(verifier.verify(await sign(valid()))).resolves.toMatchObject({ sub: 'ada' });
  });

  it('allows the clock skew on exp and nbf, and no more', async () => {
    await expect(verifier.verify(await sign(valid({ exp: now() - 5 })))).resolves.toBeDefined();
    await expect(verifier.verify(await sign(valid({ nbf: now() + 5 })))).resolves.toBeDefined();
    await expect(verifier.verify(await sign(valid({ exp: now() - 15 })))).rejects.toBeInstanceOf(
      InvalidAccessToken,
    );
    await expect(verifier.verify(await sign(valid({ nbf: now() + 15 })))).rejects.toBeInstanceOf(
      InvalidAccessToken,
    );
  });

  it.each([
    ['another issuer', { iss: 'https://id.example.com/realms/other' }],
    ['the issuer with a trailing slash', { iss: `${rules.issuer}/` }],
    ['only the provider’s default audience', { aud: 'account' }],
    ['no audience', { aud: undefined }],
    ['no exp', { exp: undefined }],
  ])('refuses %s', async (_, overrides) => {
    await expect(verifier.verify(await sign(valid(overrides)))).rejects.toBeInstanceOf(
      InvalidAccessToken,
    );
  });

  it('refuses an algorithm outside its list, even with the right key type', async () => {
    const { privateKey } = await generateKeyPair('ES384');
    const token = await new SignJWT(valid()).setProtectedHeader({ alg: 'ES384' }).sign(privateKey);
    await expect(verifier.verify(token)).rejects.toBeInstanceOf(InvalidAccessToken);
  });

  it('refuses garbage', async () => {
    await expect(verifier.verify('not.a.jwt')).rejects.toBeInstanceOf(InvalidAccessToken);
  });
});

import { jest } from '@jest/globals';
import type { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import type { AppConfig } from '../config/config.module.js';
import { AccessTokens, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from './access-tokens.js';
import { InvalidAccessToken } from './auth.errors.js';
import { builtInTokenVerifier } from './built-in-identity.module.js';

const secret = createSecretKey(Buffer.from('a-test-secret-of-at-least-32-characters!'));
const jwt = new JwtService({
  secret,
  signOptions: { algorithm: TOKEN_ALGORITHM, issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE },
  verifyOptions: { algorithms: [TOKEN_ALGORITHM], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE },
});
const config = { get: () => 900 } as unknown as ConfigService & AppConfig;
const CLOCK_SKEW_SECONDS = 10;
const verifier = builtInTokenVerifier(
  'a-test-secret-of-at-least-32-characters!',
  CLOCK_SKEW_SECONDS,
);
const claims = { read: (token: string) => verifier.verify(token) };
const ada = { userId: 'u-ada', role: 'customer', customerId: 'c-ada' } as const;
const withIat = <T extends object>(actor: T) => ({ ...actor, issuedAt: expect.any(Number) });

describe('AccessTokens', () => {
  afterEach(() => jest.useRealTimers());

  it('verifies a token once, then answers the same actor for it until it expires', async () => {
    const tokens = new AccessTokens(jwt, config, claims);
    const verify = jest.spyOn(verifier, 'verify');
    const token = await jwt.signAsync(
      { sub: ada.userId, role: ada.role, cid: ada.customerId },
      {
        expiresIn: 60,
      },
    );
    await expect(tokens.verify(token)).resolves.toEqual(withIat(ada));
    await expect(tokens.verify(token)).resolves.toEqual(withIat(ada));
    expect(verify).toHaveBeenCalledTimes(1);
    verify.mockRestore();
  });

  it('refuses a token it verified before, once its expiry has passed', async () => {
    const tokens = new AccessTokens(jwt, config, claims);
    const token = await jwt.signAsync(
      { sub: ada.userId, role: ada.role, cid: ada.customerId },
      {
        expiresIn: 60,
      },
    );
    await expect(tokens.verify(token)).resolves.toEqual(withIat(ada));
    // Past `exp` and the clock skew the verifier allows beyond it.
    jest.useFakeTimers({ now: Date.now() + (61 + CLOCK_SKEW_SECONDS) * 1000 });
    await expect(tokens.verify(token)).rejects.toBeInstanceOf(InvalidAccessToken);
  });

  it('never keeps a token that failed: a forged signature is refused every time', async () => {
    const tokens = new AccessTokens(jwt, config, claims);
    const token = await jwt.signAsync(
      { sub: ada.userId, role: 'admin', cid: null },
      {
        expiresIn: 60,
      },
    );
    const forged = `${token.slice(0, -4)}AAAA`;
    await expect(tokens.verify(forged)).rejects.toBeInstanceOf(InvalidAccessToken);
    await expect(tokens.verify(forged)).rejects.toBeInstanceOf(InvalidAccessToken);
  });

  it('issues the session id as `sid` and carries it back to the actor', async () => {
    const tokens = new AccessTokens(jwt, config, claims);
    const { accessToken } = await tokens.issue({ ...ada, sessionId: 's-1' });
    expect(jwt.decode<{ sid: string }>(accessToken).sid).toBe('s-1');
    const token = await jwt.signAsync(
      { sub: ada.userId, role: ada.role, cid: ada.customerId, sid: 's-1' },
      { expiresIn: 60 },
    );
    await expect(tokens.verify(token)).resolves.toEqual(withIat({ ...ada, sessionId: 's-1' }));
  });

  it('refuses a token whose session id is not a string', async () => {
    const tokens = new AccessTokens(jwt, config, claims);
    const token = await jwt.signAsync(
      { sub: ada.userId, role: ada.role, cid: ada.customerId, sid: 42 },
      { expiresIn: 60 },
    );
    await expect(tokens.verify(token)).rejects.toBeInstanceOf(InvalidAccessToken);
  });
});

import type { ExecutionContext } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import type { FastifyRequest } from 'fastify';
import { createSecretKey } from 'node:crypto';
import type { AppConfig } from '../config/config.module.js';
import { AccessTokens, TOKEN_ALGORITHM, TOKEN_AUDIENCE, TOKEN_ISSUER } from './access-tokens.js';
import { InvalidAccessToken } from './auth.errors.js';
import { AuthenticationGuard } from './authentication.guard.js';
import { builtInTokenVerifier } from './built-in-identity.module.js';
import { RevocationList } from './revocation/revocation-list.js';

const jwt = new JwtService({
  secret: createSecretKey(Buffer.from('a-test-secret-of-at-least-32-characters!')),
  signOptions: {
    algorithm: TOKEN_ALGORITHM,
    issuer: TOKEN_ISSUER,
    audience: TOKEN_AUDIENCE,
    expiresIn: 60,
  },
  verifyOptions: { algorithms: [TOKEN_ALGORITHM], issuer: TOKEN_ISSUER, audience: TOKEN_AUDIENCE },
});
const config = { get: () => 600 } as unknown as ConfigService & AppConfig;
const verifier = builtInTokenVerifier('a-test-secret-of-at-least-32-characters!', 10);
const claims = { read: (token: string) => verifier.verify(token) };

class Routes {
  read(): void {}
}

function contextFor(token: string): { context: ExecutionContext; request: FastifyRequest } {
  const request = {
    headers: { authorization: `Bearer ${token}` },
    routeOptions: { url: '/api/v1/things' },
  } as unknown as FastifyRequest;
  const context = {
    getHandler: () => Routes.prototype.read,
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return { context, request };
}

describe('AuthenticationGuard', () => {
  it('checks revocation on every request, also for a token the verified-token cache kept', async () => {
    const tokens = new AccessTokens(jwt, config, claims);
    const revocations = new RevocationList(900_000);
    const guard = new AuthenticationGuard(tokens, revocations);
    const { accessToken } = await tokens.issue({
      userId: 'u-ada',
      role: 'admin',
      customerId: null,
      sessionId: 's-1',
    });

    const first = contextFor(accessToken);
    await expect(guard.canActivate(first.context)).resolves.toBe(true);
    expect(first.request.actor).toMatchObject({ userId: 'u-ada', sessionId: 's-1' });
    // Kept now: answered without a promise.
    expect(guard.canActivate(contextFor(accessToken).context)).toBe(true);

    revocations.apply({
      kind: 'account',
      userId: 'u-ada',
      role: 'customer',
      status: 'active',
      signedOutAt: null,
      at: Date.now(),
    });
    const demoted = contextFor(accessToken);
    expect(guard.canActivate(demoted.context)).toBe(true);
    expect(demoted.request.actor?.role).toBe('customer');

    revocations.apply({ kind: 'sessions', sessionIds: ['s-1'], at: Date.now() });
    expect(() => guard.canActivate(contextFor(accessToken).context)).toThrow(InvalidAccessToken);
  });
});

import { createHmac } from 'node:crypto';

const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Hand-made JWTs, to try the ones a client could forge. */
export function signToken(
  payload: Record<string, unknown>,
  secret: string,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): string {
  const unsigned = `${encode(header)}.${encode(payload)}`;
  if (header.alg === 'none') return `${unsigned}.`;
  const signature = createHmac('sha256', secret).update(unsigned).digest('base64url');
  return `${unsigned}.${signature}`;
}

/** Claims as Keel issues them, valid for `lifetimeSeconds` from now (negative: already expired). */
export function claims(
  overrides: Record<string, unknown> = {},
  lifetimeSeconds = 300,
): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    sub: '00000000-0000-7000-8000-000000000000',
    role: 'admin',
    cid: null,
    iss: 'keel',
    aud: 'keel-api',
    iat: now - 10,
    exp: now + lifetimeSeconds,
    ...overrides,
  };
}

// Keel's and the peer's customer routes need a bearer token: the bench gives every server the same
// random secret and signs an admin token with it (HS256, Keel's issuer and audience), as
// AccessTokens.issue would; the baseline checks it with node:crypto.
import { createHmac, randomBytes, randomUUID } from 'node:crypto';

export const JWT_SECRET = randomBytes(32).toString('base64url');

function adminToken() {
  const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const body = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({
    sub: randomUUID(),
    role: 'admin',
    cid: null,
    iat: now,
    exp: now + 3 * 3600,
    iss: 'keel',
    aud: 'keel-api',
  })}`;
  return `${body}.${createHmac('sha256', JWT_SECRET).update(body).digest('base64url')}`;
}

export const AUTHORIZATION = `Bearer ${adminToken()}`;

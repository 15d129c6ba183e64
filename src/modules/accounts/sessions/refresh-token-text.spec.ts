import { hashRefreshToken, isRefreshTokenText, newRefreshToken } from './refresh-token-text.js';

describe('refresh token text', () => {
  it('is 256 random bits as 43 base64url characters, different every time', () => {
    const token = newRefreshToken();
    expect(Buffer.from(token, 'base64url')).toHaveLength(32);
    expect(isRefreshTokenText(token)).toBe(true);
    expect(newRefreshToken()).not.toBe(token);
  });

  it('is stored as a hash that does not contain it', () => {
    const token = newRefreshToken();
    expect(hashRefreshToken(token)).toHaveLength(43);
    expect(hashRefreshToken(token)).not.toBe(token);
    expect(hashRefreshToken(token)).toBe(hashRefreshToken(token));
  });

  it.each(['', 'short', `${newRefreshToken()}x`, '%'.repeat(43), 'a.b.c'])(
    'refuses %j before the database is asked',
    (text) => expect(isRefreshTokenText(text)).toBe(false),
  );
});

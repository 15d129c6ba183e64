import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits (RFC 9700 asks for tokens that cannot be guessed), base64url: 43 characters. */
const REFRESH_TOKEN_BYTES = 32;
const REFRESH_TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

export const newRefreshToken = (): string => randomBytes(REFRESH_TOKEN_BYTES).toString('base64url');

/**
 * What is stored and looked up: SHA-256, unsalted, is enough for 256 random bits (no dictionary
 * to try, unlike a password), and lets the token be found by its hash with one index lookup.
 */
export const hashRefreshToken = (token: string): string =>
  createHash('sha256').update(token).digest('base64url');

/** A token this code could have issued; anything else is refused before the database is asked. */
export const isRefreshTokenText = (token: string): boolean => REFRESH_TOKEN_FORMAT.test(token);

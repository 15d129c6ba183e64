import { defineEntity, p } from '@mikro-orm/postgresql';
import { Session } from './session.entity.js';

/**
 * A refresh token, by the SHA-256 of its text (the text itself is never stored). Spent when used:
 * the spent row stays with its session, so a second use is recognised as reuse and ends the session
 * (RFC 9700 §4.14.2).
 */
const RefreshTokenSchema = defineEntity({
  name: 'RefreshToken',
  tableName: 'refresh_tokens',
  properties: {
    /** base64url SHA-256: 43 characters. */
    tokenHash: p.string().length(43).primary(),
    session: () => p.manyToOne(Session).deleteRule('cascade'),
    createdAt: p.datetime(),
    spentAt: p.datetime().nullable(),
  },
  indexes: [
    // Deleting a session (with its account) cascades here.
    { name: 'refresh_tokens_session_id_idx', properties: ['session'] },
    // The hourly purge of spent tokens (session-purge.ts).
    { name: 'refresh_tokens_spent_at_idx', properties: ['spentAt'] },
  ],
});

export class RefreshToken extends RefreshTokenSchema.class {}
RefreshTokenSchema.setClass(RefreshToken);

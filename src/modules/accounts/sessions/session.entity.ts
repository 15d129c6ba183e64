import { defineEntity, p } from '@mikro-orm/postgresql';
import { User } from '../user.entity.js';

/**
 * One sign-in of an account (a login on one device), alive while it is used within the idle
 * timeout and no longer than the absolute one. Its refresh tokens are RefreshToken rows. Ending it
 * sets `revokedAt`: the row stays until it expires, so catch-up reads can still tell every instance
 * (docs/decisions/0160-sessions-and-refresh-tokens.md). Written only by SessionsRepository's SQL.
 */
const SessionSchema = defineEntity({
  name: 'Session',
  tableName: 'sessions',
  properties: {
    id: p.uuid().primary(),
    // Deleting an account deletes its sessions; the account's own notice refuses their tokens.
    user: () => p.manyToOne(User).deleteRule('cascade'),
    createdAt: p.datetime(),
    /** Moved forward by each refresh, never past `expiresAt`. */
    idleExpiresAt: p.datetime(),
    expiresAt: p.datetime(),
    revokedAt: p.datetime().nullable(),
  },
  indexes: [
    // Logout-all and password changes find an account's sessions; deleting an account cascades.
    { name: 'sessions_user_id_idx', properties: ['user'] },
    // Catch-up reads look for the sessions ended lately.
    { name: 'sessions_revoked_at_idx', properties: ['revokedAt'] },
  ],
});

export class Session extends SessionSchema.class {}
SessionSchema.setClass(Session);

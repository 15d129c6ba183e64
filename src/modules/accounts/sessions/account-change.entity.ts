import { defineEntity, p } from '@mikro-orm/postgresql';

/**
 * The last change of an account that matters to tokens already issued (role, disabled, deleted,
 * signed out everywhere), for instances that catch up after missing its notice. No foreign key on
 * purpose: the row must outlive a deleted account, whose tokens stay refused until they expire.
 */
const AccountChangeSchema = defineEntity({
  name: 'AccountChange',
  tableName: 'account_changes',
  properties: {
    userId: p.uuid().primary(),
    changedAt: p.datetime(),
    /** Tokens without a session issued up to here are refused (logout-all, password change). */
    signedOutAt: p.datetime().nullable(),
  },
  indexes: [{ name: 'account_changes_changed_at_idx', properties: ['changedAt'] }],
});

export class AccountChange extends AccountChangeSchema.class {}
AccountChangeSchema.setClass(AccountChange);

import { defineEntity, p } from '@mikro-orm/postgresql';
import { User } from '../accounts/user.entity.js';

/**
 * One `Idempotency-Key` of `POST /api/v1/orders`, per account: the same key from two accounts is
 * two keys. Written in the order's own transaction, so a row exists exactly when its order does.
 */
const IdempotencyKeySchema = defineEntity({
  name: 'IdempotencyKey',
  tableName: 'idempotency_keys',
  properties: {
    account: () => p.manyToOne(User).primary().deleteRule('cascade'),
    key: p.string().length(255).primary(),
    /** sha256 of the canonical request body: the same key with another body is refused. */
    requestHash: p.string().length(64),
    orderId: p.uuid(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  primaryKeys: ['account', 'key'],
  indexes: [{ name: 'idempotency_keys_created_at_idx', properties: ['createdAt'] }],
});

export class IdempotencyKey extends IdempotencyKeySchema.class {}
IdempotencyKeySchema.setClass(IdempotencyKey);

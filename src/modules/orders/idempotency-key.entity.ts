import { defineEntity, p } from '@mikro-orm/postgresql';

/**
 * One `Idempotency-Key` of `POST /api/v1/orders`: claimed before the work starts, completed in the
 * order's own transaction, so a key never points at an order that was rolled back.
 */
const IdempotencyKeySchema = defineEntity({
  name: 'IdempotencyKey',
  tableName: 'idempotency_keys',
  properties: {
    key: p.string().length(255).primary(),
    /** sha256 of the canonical request body: the same key with another body is refused. */
    requestHash: p.string().length(64),
    /** Null while the first request is in flight. */
    orderId: p.uuid().nullable(),
    responseStatus: p.integer().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ name: 'idempotency_keys_created_at_idx', properties: ['createdAt'] }],
});

export class IdempotencyKey extends IdempotencyKeySchema.class {}
IdempotencyKeySchema.setClass(IdempotencyKey);

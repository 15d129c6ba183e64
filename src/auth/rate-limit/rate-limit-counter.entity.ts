import { defineEntity, p } from '@mikro-orm/postgresql';

/**
 * One fixed-window counter per throttling key, shared by every instance of the service. Written
 * only by PostgresThrottlerStorage with one atomic upsert; declared as an entity so migrations
 * know the table.
 */
const RateLimitCounterSchema = defineEntity({
  name: 'RateLimitCounter',
  tableName: 'rate_limit_counters',
  properties: {
    key: p.string().length(64).primary(),
    hits: p.integer(),
    expiresAt: p.datetime(),
  },
  indexes: [{ name: 'rate_limit_counters_expires_at_idx', properties: ['expiresAt'] }],
});

export class RateLimitCounter extends RateLimitCounterSchema.class {}
RateLimitCounterSchema.setClass(RateLimitCounter);

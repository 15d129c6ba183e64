import { Injectable, type OnModuleInit } from '@nestjs/common';
import { RetentionPolicies } from '../../retention/retention-policies.js';
import { PostgresThrottlerStorage } from './postgres-throttler.storage.js';

/**
 * Rate-limit counters are deleted once their window has ended. Each instance used to purge them
 * every minute on a timer of its own (N instances, N deletes, a failure only warned); the retention
 * sweep does it once across instances, and loudly when it fails.
 */
@Injectable()
export class RateLimitCounterRetention implements OnModuleInit {
  constructor(
    private readonly policies: RetentionPolicies,
    private readonly storage: PostgresThrottlerStorage,
  ) {}

  onModuleInit(): void {
    this.policies.add({
      table: 'rate_limit_counters',
      keeps: 'until the end of its window',
      purge: (limit) => this.storage.deleteExpired(limit),
    });
  }
}

import { Injectable, type OnModuleInit } from '@nestjs/common';
import { RetentionPolicies } from '../../retention/retention-policies.js';
import { IdempotencyKeys, KEY_LIFETIME } from './idempotency-keys.js';

/** Idempotency keys are deleted once they stop answering: 24 h after their order was placed. */
@Injectable()
export class IdempotencyKeyRetention implements OnModuleInit {
  constructor(
    private readonly policies: RetentionPolicies,
    private readonly keys: IdempotencyKeys,
  ) {}

  onModuleInit(): void {
    this.policies.add({
      table: 'idempotency_keys',
      keeps: `${KEY_LIFETIME} after the order`,
      purge: (limit) => this.keys.deleteExpired(limit),
    });
  }
}

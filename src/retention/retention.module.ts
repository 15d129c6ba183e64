import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { RetentionMetrics } from './retention.metrics.js';
import { RetentionPolicies } from './retention-policies.js';
import { RetentionSweep } from './retention-sweep.js';

/**
 * Tables that would only grow are purged by one scheduled job: the modules that own them add their
 * policy to RetentionPolicies (docs/decisions/0152-retention.md).
 */
@Module({
  imports: [JobsModule],
  providers: [RetentionPolicies, RetentionMetrics, RetentionSweep],
  exports: [RetentionPolicies],
})
export class RetentionModule {}

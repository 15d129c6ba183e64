import { Module } from '@nestjs/common';
import { HealthModule } from '../health/health.module.js';
import { JobQueue } from './job-queue.js';

/** Background jobs on PostgreSQL (pg-boss): the queue, its workers and their graceful stop. */
@Module({
  imports: [HealthModule],
  providers: [JobQueue],
  exports: [JobQueue],
})
export class JobsModule {}

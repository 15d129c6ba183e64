import { Module } from '@nestjs/common';
import { JobQueue } from './job-queue.js';

/** Background jobs on PostgreSQL (pg-boss): the queue, its workers and their graceful stop. */
@Module({
  providers: [JobQueue],
  exports: [JobQueue],
})
export class JobsModule {}

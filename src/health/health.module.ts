import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { EventLoopLoad } from './event-loop-load.js';
import { HealthController } from './health.controller.js';
import { ReadinessChanges } from './readiness-changes.js';
import { ReadinessChecks } from './readiness-checks.js';
import { SchemaVersion } from './schema-version.js';
import { StatusController } from './status.controller.js';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [StatusController, HealthController],
  providers: [EventLoopLoad, ReadinessChecks, ReadinessChanges, SchemaVersion],
  exports: [EventLoopLoad, ReadinessChecks],
})
export class HealthModule {}

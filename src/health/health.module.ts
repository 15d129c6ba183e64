import { Module } from '@nestjs/common';
import { EventLoopLoad } from './event-loop-load.js';
import { StatusController } from './status.controller.js';

@Module({
  controllers: [StatusController],
  providers: [EventLoopLoad],
  exports: [EventLoopLoad],
})
export class HealthModule {}

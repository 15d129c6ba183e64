import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { LoggingModule } from './logging.module.js';
import { ProblemDetailsFilter } from './problem-details.filter.js';
import { requestValidationPipe } from './request-validation.js';

/**
 * HTTP conventions shared by every route: validation, problem details, logs. The Fastify hooks
 * (request id, security headers, conditional GET, ...) are installed by request-pipeline.ts.
 */
@Module({
  imports: [LoggingModule],
  providers: [
    { provide: APP_PIPE, useFactory: requestValidationPipe },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
  ],
})
export class HttpModule {}

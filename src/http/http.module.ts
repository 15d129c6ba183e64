import { Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { ConditionalGetHook } from './conditional-get.hook.js';
import { LoggingModule } from './logging.module.js';
import { ProblemDetailsFilter } from './problem-details.filter.js';
import { requestValidationPipe } from './request-validation.js';
import { SecurityHeadersHook } from './security-headers.hook.js';

/** HTTP conventions shared by every route: validation, problem details, logs, security headers, conditional GET. */
@Module({
  imports: [LoggingModule],
  providers: [
    { provide: APP_PIPE, useFactory: requestValidationPipe },
    { provide: APP_FILTER, useClass: ProblemDetailsFilter },
    SecurityHeadersHook,
    ConditionalGetHook,
  ],
})
export class HttpModule {}

import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from '../config/config.module.js';
import { AccessLog } from './access-log.js';
import { RequestLogScope } from './request-log-scope.js';

/**
 * Structured JSON logs with pino; human-readable only in development. Nest's logger writes through
 * pino, every line logged while handling a request carries its `reqId` (RequestLogScope), and
 * AccessLog writes exactly one line per request. pino-http's middleware is not mounted: under
 * Fastify it runs before the body is parsed and loses its context on POST (nestjs-pino#546).
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: AppConfig) => ({
        forRoutes: [],
        pinoHttp: {
          level: config.get('LOG_LEVEL', { infer: true }),
          redact: {
            paths: [
              'req.headers.authorization',
              'req.headers.cookie',
              'headers.authorization',
              'headers.cookie',
              'password',
              '*.password',
              '*.*.password',
            ],
            censor: '[redacted]',
          },
          ...(config.get('NODE_ENV', { infer: true }) === 'development'
            ? {
                transport: {
                  target: 'pino-pretty',
                  options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
                },
              }
            : {}),
        },
      }),
    }),
  ],
  providers: [RequestLogScope, AccessLog],
})
export class LoggingModule {}

import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { LoggerModule, type Params } from 'nestjs-pino';
import pino from 'pino';
import type { AppConfig } from '../config/config.module.js';
import { requestLogBindings } from './request-log-scope.js';

const REDACTED = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'password',
  '*.password',
  '*.*.password',
];

/** Most bytes of log lines handed to one write of stdout. */
export const LOG_WRITE_CHUNK_BYTES = 4096;

function loggerParams(config: AppConfig): Params {
  const options = {
    level: config.get('LOG_LEVEL', { infer: true }),
    redact: { paths: REDACTED, censor: '[redacted]' },
    mixin: requestLogBindings,
  };
  if (config.get('NODE_ENV', { infer: true }) === 'development') {
    const pretty = {
      target: 'pino-pretty',
      options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
    };
    return { forRoutes: [], pinoHttp: { ...options, transport: pretty } };
  }
  // Asynchronous writes: a log line never blocks a request on stdout. pino flushes what is
  // pending when the process exits. While a write is in flight, sonic-boom appends each new line to
  // its last pending chunk and measures that chunk's UTF-8 length again, so every line costs in
  // proportion to the chunk: 4 KB chunks instead of the default 16 KB (decision 0143).
  const stdout = pino.destination({ dest: 1, sync: false, maxWrite: LOG_WRITE_CHUNK_BYTES });
  return { forRoutes: [], pinoHttp: [options, stdout] };
}

/**
 * Structured JSON logs with pino; human-readable only in development. Nest's logger writes through
 * pino, every line logged while handling a request carries its `reqId` (request-log-scope.ts),
 * and access-log.ts writes exactly one line per request (both installed by request-pipeline.ts). pino-http's middleware is not mounted
 * (`forRoutes: []`): under Fastify it runs before the body is parsed and loses its context on POST
 * (nestjs-pino#546).
 */
@Module({
  imports: [LoggerModule.forRootAsync({ inject: [ConfigService], useFactory: loggerParams })],
})
export class LoggingModule {}

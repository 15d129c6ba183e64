import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { activeTraceId } from '../tracing/trace-id.js';
import { describeError, problemForStatus } from './error-table.js';
import { allowedMethods } from './method-not-allowed.js';
import { logFailure, sendProblem } from './problem-reply.js';

/**
 * The one place where any error becomes a response: an RFC 9457 body, whatever raised it
 * (validation, a service, the ORM, Fastify's parser, a guard). The client sees the safe description
 * from the error table; the log gets the error itself.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    let spec = describeError(exception);
    if (spec.status === 404 && request.routeOptions.url === undefined) {
      // The path exists, the method does not: 405 with the methods that work.
      const allow = allowedMethods(request.server, request.url.split('?')[0]);
      if (allow.length > 0) {
        spec = problemForStatus(405);
        reply.header('Allow', allow.join(', '));
      }
    }

    const failed = { requestId: String(request.id), method: request.method, url: request.url };
    logFailure(this.logger, failed, spec, exception);
    if (reply.sent) return;
    // A server error is Keel's to investigate: the client gets the trace id to quote with the
    // request id (the log line has it from RequestLogScope).
    sendProblem(reply, spec, {
      ...failed,
      traceId: spec.status >= 500 ? activeTraceId() : undefined,
    });
  }
}

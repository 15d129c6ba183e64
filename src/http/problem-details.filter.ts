import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { activeTraceId } from '../tracing/trace-id.js';
import { describeError, problemForStatus } from './error-table.js';
import { allowedMethods } from './method-not-allowed.js';
import { PROBLEM_CONTENT_TYPE, type Problem, problemType } from './problem.js';

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

    const context = {
      requestId: request.id,
      method: request.method,
      url: request.url,
      status: spec.status,
    };
    // A server error is Keel's to investigate: the client gets the trace id to quote with the
    // request id (the log line has it from RequestLogScope).
    const traceId = spec.status >= 500 ? activeTraceId() : undefined;
    if (spec.status >= 500) {
      this.logger.error({ ...context, err: exception }, 'request failed');
    } else {
      this.logger.log({ ...context, error: describeForLog(exception) }, 'request refused');
    }
    if (reply.sent) return;

    const problem: Problem = {
      type: problemType(spec.slug),
      title: spec.title,
      status: spec.status,
      detail: spec.detail,
      instance: request.url.split('?')[0],
      requestId: String(request.id),
      ...(traceId ? { traceId } : {}),
      ...(spec.errors ? { errors: spec.errors } : {}),
    };
    if (spec.retryAfterSeconds !== undefined)
      reply.header('Retry-After', String(spec.retryAfterSeconds));
    void reply.status(spec.status).type(PROBLEM_CONTENT_TYPE).send(problem);
  }
}

function describeForLog(exception: unknown): Record<string, unknown> {
  return exception instanceof Error
    ? { type: exception.name, message: exception.message }
    : { type: typeof exception };
}

import type { Logger } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { CLIENT_CLOSED_REQUEST } from './client-left.js';
import type { ProblemSpec } from './error-table.js';
import { PROBLEM_CONTENT_TYPE, type Problem, problemType } from './problem.js';

export interface FailedRequest {
  requestId: string;
  method: string;
  url: string;
  /** Set on 5xx answers when tracing is on. */
  traceId?: string;
}

/**
 * Logs why a request failed. A 500 is a bug in Keel by definition (every error a client or an
 * outage can cause has its own status), so it is logged at error as one, with the error and its
 * stack; an outage (503) at error too; a refused request (4xx) at info, without the stack, and so
 * is a client that left mid-request: anyone can hang up, so it must not page anyone (issue 21).
 */
export function logFailure(
  logger: Logger,
  request: FailedRequest,
  spec: ProblemSpec,
  exception: unknown,
): void {
  const context = { ...request, status: spec.status };
  if (spec.status === CLIENT_CLOSED_REQUEST) {
    logger.log(context, 'client left before its request had arrived');
  } else if (spec.status === 500) {
    logger.error({ ...context, bug: true, err: exception }, 'unexpected error: a bug in Keel');
  } else if (spec.status > 500) {
    logger.error({ ...context, err: exception }, 'request failed');
  } else {
    logger.log({ ...context, error: describeForLog(exception) }, 'request refused');
  }
}

function describeForLog(exception: unknown): Record<string, unknown> {
  return exception instanceof Error
    ? { type: exception.name, message: exception.message }
    : { type: typeof exception };
}

/** The RFC 9457 document for `spec`, as every error response of the API carries it. */
export function problemFor(spec: ProblemSpec, request: FailedRequest): Problem {
  return {
    type: problemType(spec.slug),
    title: spec.title,
    status: spec.status,
    detail: spec.detail,
    instance: request.url.split('?')[0],
    requestId: request.requestId,
    ...(request.traceId ? { traceId: request.traceId } : {}),
    ...(spec.errors ? { errors: spec.errors } : {}),
  };
}

/** Sends `spec` as problem+json (with `Retry-After` when it has one). */
export function sendProblem(reply: FastifyReply, spec: ProblemSpec, request: FailedRequest): void {
  if (spec.retryAfterSeconds !== undefined) {
    reply.header('Retry-After', String(spec.retryAfterSeconds));
  }
  void reply.status(spec.status).type(PROBLEM_CONTENT_TYPE).send(problemFor(spec, request));
}

import { Logger } from '@nestjs/common';
import type {
  ConnectionError,
  FastifyError,
  FastifyReply,
  FastifyRequest,
  FastifyServerOptions,
} from 'fastify';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { writeAccessLine } from './access-log.js';
import { CLIENT_CLOSED_REQUEST } from './client-left.js';
import { type ProblemSpec, describeError, problemForStatus } from './error-table.js';
import { type FailedRequest, logFailure, problemFor, sendProblem } from './problem-reply.js';
import { PROBLEM_CONTENT_TYPE } from './problem.js';
import { REQUEST_ID_HEADER } from './request-id.js';

/** Node's HTTP parser errors a client causes, in our words (the rest: "not valid HTTP"). */
const CLIENT_ERRORS: Record<string, { status: number; detail?: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, detail: 'The request headers are too large.' },
  HPE_INVALID_CONTENT_LENGTH: { status: 400, detail: 'The Content-Length header is not valid.' },
  HPE_UNEXPECTED_CONTENT_LENGTH: {
    status: 400,
    detail: 'The Content-Length header is not valid with this Transfer-Encoding.',
  },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408 },
  // The client ended its side before the request was complete: it left (issue 21, item 8).
  HPE_INVALID_EOF_STATE: { status: CLIENT_CLOSED_REQUEST },
};

/** `METHOD /path HTTP/1.x`, when the parser got that far: only printable ASCII is kept. */
const REQUEST_LINE = /^([A-Z]{1,16}) (\/[\x21-\x7e]{0,2047}) HTTP\/1\.[01]\r?\n/;

type ServerSocket = Socket & { _httpMessage?: { headersSent?: boolean } | null };

/**
 * Fastify answers some requests before any hook or Nest runs: a malformed percent-encoding in the
 * path (FST_ERR_BAD_URL) and an over-long path parameter (FST_ERR_MAX_PARAM_LENGTH) through
 * `frameworkErrors`; requests Node's HTTP parser refuses (oversized headers, a bad
 * Content-Length, a header timeout) through `clientErrorHandler`, on the bare socket. Both answer
 * here as every other error does: a problem document, the request id, the security headers, a
 * log line and an access line. What cannot be answered is listed in
 * docs/decisions/0044-framework-level-errors.md.
 */
export function frameworkErrorHandlers(
  headers: Record<string, string>,
): Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> {
  const logger = new Logger('Errors');

  const frameworkErrors = (
    error: FastifyError,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void => {
    const spec = describeError(error);
    const failed = { requestId: String(request.id), method: request.method, url: request.url };
    logFailure(logger, failed, spec, error);
    void reply.headers(headers).header(REQUEST_ID_HEADER, failed.requestId);
    sendProblem(reply, spec, failed);
    writeAccessLine({
      reqId: failed.requestId,
      method: failed.method,
      route: 'unmatched',
      url: failed.url,
      status: spec.status,
      durationMs: Math.round(reply.elapsedTime * 10) / 10,
    });
  };

  const clientErrorHandler = (error: ConnectionError, socket: ServerSocket): void => {
    // A reset or closed connection has no one left to answer (Node's own handler does the same).
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const known = CLIENT_ERRORS[error.code];
    // A client that left while its request, already routed, was arriving: that request's own
    // path (the body reader's "aborted" error) logs it once; here there is no one to answer.
    if (known?.status === CLIENT_CLOSED_REQUEST && socket._httpMessage) {
      socket.destroy();
      return;
    }
    const base = problemForStatus(known?.status ?? 400);
    const spec: ProblemSpec = {
      ...base,
      detail: known?.detail ?? (known ? base.detail : 'The request is not valid HTTP.'),
    };
    // Typed as a serialised Buffer, but Node passes the Buffer itself (or nothing).
    const raw: unknown = error.rawPacket;
    const line = REQUEST_LINE.exec(Buffer.isBuffer(raw) ? raw.toString('latin1') : '');
    const failed: FailedRequest = {
      requestId: randomUUID(),
      method: line?.[1] ?? '',
      url: line?.[2] ?? '/',
    };
    logFailure(logger, failed, spec, error);
    if (spec.status === CLIENT_CLOSED_REQUEST) {
      // Nobody is left to read an answer; the access line still records the request.
      socket.destroy();
    } else if (!socket.writable || socket._httpMessage?.headersSent) {
      // Once a response has started on this connection, raw bytes would corrupt it: close instead.
      socket.destroy();
      return;
    } else {
      socket.end(rawProblem(spec, failed, headers), () => socket.destroy());
    }
    writeAccessLine({
      reqId: failed.requestId,
      ...(line ? { method: failed.method, url: failed.url } : {}),
      route: 'unparsed',
      status: spec.status,
      durationMs: 0,
    });
  };

  return { frameworkErrors, clientErrorHandler };
}

/** A whole HTTP/1.1 answer carrying `spec`, for a socket whose request the parser refused. */
function rawProblem(
  spec: ProblemSpec,
  failed: FailedRequest,
  headers: Record<string, string>,
): string {
  const body = JSON.stringify(problemFor(spec, failed));
  const head = [
    `HTTP/1.1 ${spec.status} ${STATUS_CODES[spec.status]}`,
    `content-type: ${PROBLEM_CONTENT_TYPE}; charset=utf-8`,
    `content-length: ${Buffer.byteLength(body)}`,
    `${REQUEST_ID_HEADER}: ${failed.requestId}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    // The parser cannot go on after an error: this connection ends with this answer.
    'connection: close',
  ];
  return `${head.join('\r\n')}\r\n\r\n${body}`;
}

import { OptimisticLockError } from '@mikro-orm/core';
import { HttpException } from '@nestjs/common';
import {
  ConflictError,
  type DomainError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  RuleViolationError,
  StaleVersionError,
  UnauthenticatedError,
} from '../errors/domain-error.js';
import { sqlStateOf } from '../database/sql-state.js';
import { isDatabaseUnavailable } from '../database/database-unavailable.js';
import { RateLimitExceeded } from '../errors/rate-limit-exceeded.js';
import { RequestBodyTooSlow } from '../errors/request-body-too-slow.js';
import { ServiceOverloaded } from '../errors/service-overloaded.js';
import { CLIENT_CLOSED_REQUEST, isClientLeft } from './client-left.js';
import type { FieldError } from './problem.js';
import { RequestValidationFailed } from './request-validation.js';

/** How one error looks over HTTP. `detail` is always safe to show: never a library's message. */
export interface ProblemSpec {
  status: number;
  slug: string;
  title: string;
  detail: string;
  errors?: FieldError[];
  retryAfterSeconds?: number;
}

type Constructor<T> = abstract new (...args: never[]) => T;

interface Row {
  describe: (error: unknown) => ProblemSpec | undefined;
}

const row = <T extends Error>(type: Constructor<T>, describe: (error: T) => ProblemSpec): Row => ({
  describe: (error) => (error instanceof type ? describe(error) : undefined),
});

const domain =
  (status: number, slug: string, title: string) =>
  (error: DomainError): ProblemSpec => ({ status, slug, title, detail: error.message });

/** Titles and slugs for statuses raised by the framework or by Fastify itself. */
const STATUS_PROBLEMS: Record<number, Omit<ProblemSpec, 'status'>> = {
  400: {
    slug: 'bad-request',
    title: 'Bad request',
    detail: 'The request could not be understood.',
  },
  401: {
    slug: 'unauthorized',
    title: 'Unauthorized',
    detail: 'The access token is missing, invalid or expired.',
  },
  403: { slug: 'forbidden', title: 'Forbidden', detail: 'You may not do this.' },
  404: { slug: 'not-found', title: 'Not found', detail: 'No such resource.' },
  405: {
    slug: 'method-not-allowed',
    title: 'Method not allowed',
    detail: 'This resource does not support this method.',
  },
  406: {
    slug: 'not-acceptable',
    title: 'Not acceptable',
    detail:
      'This resource is application/json (errors application/problem+json); send an Accept that allows one.',
  },
  408: {
    slug: 'request-timeout',
    title: 'Request timeout',
    detail: 'The request took too long to arrive.',
  },
  409: {
    slug: 'conflict',
    title: 'Conflict',
    detail: 'The request conflicts with the current state.',
  },
  411: {
    slug: 'length-required',
    title: 'Length required',
    detail: 'The request needs a Content-Length.',
  },
  412: {
    slug: 'precondition-failed',
    title: 'Precondition failed',
    detail: 'The resource has changed.',
  },
  413: {
    slug: 'payload-too-large',
    title: 'Payload too large',
    detail: 'The request body is larger than allowed.',
  },
  414: { slug: 'uri-too-long', title: 'URI too long', detail: 'The request URI is too long.' },
  415: {
    slug: 'unsupported-media-type',
    title: 'Unsupported media type',
    detail: 'Send the body as application/json.',
  },
  422: {
    slug: 'unprocessable',
    title: 'Unprocessable content',
    detail: 'The request breaks a rule.',
  },
  428: {
    slug: 'precondition-required',
    title: 'Precondition required',
    detail: 'This request needs a precondition header.',
  },
  431: {
    slug: 'request-header-fields-too-large',
    title: 'Request header fields too large',
    detail: 'The request headers are too large.',
  },
  429: {
    slug: 'too-many-requests',
    title: 'Too many requests',
    detail: 'Slow down and retry later.',
  },
  // A client that left mid-request (client-left.ts): logged and counted, never read by anyone.
  [CLIENT_CLOSED_REQUEST]: {
    slug: 'client-closed-request',
    title: 'Client closed request',
    detail: 'The client closed the connection before its request had arrived.',
  },
  500: {
    slug: 'internal',
    title: 'Internal server error',
    detail: 'Something went wrong on our side. Quote the request id when reporting it.',
  },
  503: {
    slug: 'unavailable',
    title: 'Service unavailable',
    detail: 'The service is temporarily unavailable. Retry later.',
  },
};

/** Our own words for the Fastify errors a client can cause. */
const FASTIFY_DETAILS: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'The body is not valid JSON.',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'The body is empty; send a JSON document.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'Send the body as application/json.',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is larger than allowed.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'The Content-Length does not match the body.',
  FST_ERR_BAD_URL: 'The URL is not valid: a percent-encoded sequence is malformed.',
  FST_ERR_MAX_PARAM_LENGTH: 'A path segment is too long.',
};

export const problemForStatus = (status: number): ProblemSpec => {
  const known = STATUS_PROBLEMS[status] ?? STATUS_PROBLEMS[status >= 500 ? 500 : 400];
  return { status, ...known };
};

/** Fastify's own errors (body parser, limits) carry a status but a message that may echo input. */
const frameworkStatus = (error: unknown): number | undefined => {
  const status =
    error instanceof Error ? (error as { statusCode?: unknown }).statusCode : undefined;
  return typeof status === 'number' && status >= 400 && status < 600 ? status : undefined;
};

/**
 * PostgreSQL errors a client's data can cause, by SQLSTATE: data exceptions (class 22) and
 * integrity constraint violations (class 23) are the client's 400/409/422, never a 500. Services
 * turn the ones they expect into domain errors with a clearer message; this is the net under them.
 * The first matching prefix wins. docs/decisions/0043-sqlstate-table.md
 */
const invalidInput = (detail: string): ProblemSpec => ({
  status: 400,
  slug: 'invalid-input',
  title: 'Invalid input',
  detail,
});
const conflict = (detail: string): ProblemSpec => ({ ...problemForStatus(409), detail });

const SQLSTATE_PROBLEMS: [prefix: string, problem: ProblemSpec][] = [
  // query_canceled: the statement ran past DB_STATEMENT_TIMEOUT_MS (decision 0151), or an operator
  // cancelled it. The database is busy, not broken, and the same request may well pass later.
  [
    '57014',
    {
      ...problemForStatus(503),
      slug: 'statement-timeout',
      detail: 'The database took too long to answer. Retry after Retry-After seconds.',
      retryAfterSeconds: 5,
    },
  ],
  ['23502', invalidInput('A required value is missing.')],
  ['23505', conflict('A resource with this value already exists.')],
  ['23001', conflict('Other resources still refer to this one.')],
  ['23503', conflict('A resource this refers to, or that refers to it, is in the way.')],
  [
    '23514',
    {
      ...problemForStatus(422),
      slug: 'rule-violation',
      detail: 'A value breaks a rule of the data.',
    },
  ],
  ['23', problemForStatus(409)],
  ['22', invalidInput('A value is out of range or malformed.')],
];

const sqlStateRow: Row = {
  describe: (error) => {
    const state = sqlStateOf(error);
    const found = state && SQLSTATE_PROBLEMS.find(([prefix]) => state.startsWith(prefix));
    return found ? { ...found[1] } : undefined;
  },
};

/** The one table from errors to HTTP. The first matching row wins; order from specific to general. */
const TABLE: Row[] = [
  row(RequestValidationFailed, (error) => ({
    ...problemForStatus(400),
    slug: 'validation',
    title: 'Validation failed',
    detail: 'One or more fields are invalid.',
    errors: error.errors,
  })),
  row(UnauthenticatedError, domain(401, 'unauthorized', 'Unauthorized')),
  row(ForbiddenError, domain(403, 'forbidden', 'Forbidden')),
  row(RateLimitExceeded, (error) => ({
    ...problemForStatus(429),
    retryAfterSeconds: error.retryAfterSeconds,
  })),
  row(ServiceOverloaded, (error) => ({
    ...problemForStatus(503),
    slug: 'overloaded',
    title: 'Service overloaded',
    detail:
      'More requests are waiting than can be served in time. Retry after Retry-After seconds.',
    retryAfterSeconds: error.retryAfterSeconds,
  })),
  row(RequestBodyTooSlow, (error) => ({
    ...problemForStatus(408),
    slug: 'request-body-timeout',
    detail: `The request body did not arrive within ${error.timeoutMs / 1000} s of its headers.`,
  })),
  row(NotFoundError, domain(404, 'not-found', 'Not found')),
  row(ConflictError, domain(409, 'conflict', 'Conflict')),
  row(InvalidInputError, domain(400, 'invalid-input', 'Invalid input')),
  row(RuleViolationError, domain(422, 'rule-violation', 'Unprocessable content')),
  row(StaleVersionError, domain(412, 'precondition-failed', 'Precondition failed')),
  sqlStateRow,
  row(OptimisticLockError, () => ({
    ...problemForStatus(409),
    detail: 'The resource was changed by someone else. Fetch it again and retry.',
  })),
  row(HttpException, (error) => {
    const base = problemForStatus(error.getStatus());
    // Fastify's own errors arrive wrapped, their message may echo the input (fastify PR#5925).
    const fastifyCode = (error.cause as { code?: unknown } | undefined)?.code;
    if (typeof fastifyCode === 'string') {
      return { ...base, detail: FASTIFY_DETAILS[fastifyCode] ?? base.detail };
    }
    // Nest's own 4xx messages (e.g. "Validation failed (uuid is expected)") are safe and useful.
    const response = error.getResponse();
    const message =
      typeof response === 'object' && response !== null && 'message' in response
        ? response.message
        : response;
    return base.status < 500 && base.status !== 404 && typeof message === 'string'
      ? { ...base, detail: message }
      : base;
  }),
];

export function describeError(error: unknown): ProblemSpec {
  if (isClientLeft(error)) return problemForStatus(CLIENT_CLOSED_REQUEST);
  if (isDatabaseUnavailable(error)) return { ...problemForStatus(503), retryAfterSeconds: 5 };
  for (const { describe } of TABLE) {
    const spec = describe(error);
    if (spec) return spec;
  }
  const status = frameworkStatus(error);
  if (status === undefined) return problemForStatus(500);
  const base = problemForStatus(status);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && FASTIFY_DETAILS[code]
    ? { ...base, detail: FASTIFY_DETAILS[code] }
    : base;
}

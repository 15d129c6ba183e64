import { DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { BadRequestException, HttpException } from '@nestjs/common';
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnauthenticatedError,
} from '../errors/domain-error.js';
import { RateLimitExceeded } from '../errors/rate-limit-exceeded.js';
import { describeError } from './error-table.js';
import { RequestValidationFailed } from './request-validation.js';

class ThingNotFound extends NotFoundError {
  readonly message = 'Thing 42 does not exist.';
}
class ThingTaken extends ConflictError {
  readonly message = 'That thing is taken.';
}

class TokenRefused extends UnauthenticatedError {
  readonly message = 'The access token is missing, invalid or expired.';
}
class NotYours extends ForbiddenError {
  readonly message = 'Your role may not do this.';
}

describe('describeError', () => {
  it('answers 401, 403 and 429 (with Retry-After) for the access errors', () => {
    expect(describeError(new TokenRefused())).toMatchObject({
      status: 401,
      slug: 'unauthorized',
      detail: 'The access token is missing, invalid or expired.',
    });
    expect(describeError(new NotYours())).toMatchObject({ status: 403, slug: 'forbidden' });
    expect(describeError(new RateLimitExceeded(42))).toMatchObject({
      status: 429,
      slug: 'too-many-requests',
      retryAfterSeconds: 42,
    });
  });

  it('maps domain errors by kind and keeps their safe message', () => {
    expect(describeError(new ThingNotFound())).toMatchObject({
      status: 404,
      slug: 'not-found',
      detail: 'Thing 42 does not exist.',
    });
    expect(describeError(new ThingTaken())).toMatchObject({
      status: 409,
      slug: 'conflict',
      detail: 'That thing is taken.',
    });
  });

  it('lists each invalid field of a validation failure', () => {
    const spec = describeError(
      new RequestValidationFailed([{ field: 'email', message: 'email must be an email' }]),
    );
    expect(spec).toMatchObject({
      status: 400,
      slug: 'validation',
      errors: [{ field: 'email', message: 'email must be an email' }],
    });
  });

  it('hides the database text of a unique violation behind a 409', () => {
    const driverError = Object.assign(
      new Error('duplicate key value violates unique constraint "customers_email_lower_unique"'),
      { code: '23505' },
    );
    const spec = describeError(new UniqueConstraintViolationException(driverError));
    expect(spec.status).toBe(409);
    expect(JSON.stringify(spec)).not.toMatch(/customers_email|duplicate key/);
  });

  it('does not pass on the message of a wrapped Fastify error', () => {
    const cause = Object.assign(new Error('Unexpected token < in JSON at position 9: <script>'), {
      code: 'FST_ERR_CTP_INVALID_JSON_BODY',
      statusCode: 400,
    });
    const spec = describeError(new HttpException(cause.message, 400, { cause }));
    expect(spec).toMatchObject({ status: 400, detail: 'The body is not valid JSON.' });
  });

  it('keeps the message of a framework 4xx raised by Nest itself', () => {
    expect(
      describeError(new BadRequestException('Validation failed (uuid is expected)')),
    ).toMatchObject({
      status: 400,
      detail: 'Validation failed (uuid is expected)',
    });
  });

  it('answers anything unknown with a generic 500', () => {
    const spec = describeError(
      new TypeError('Cannot read properties of undefined (reading "secret")'),
    );
    expect(spec).toMatchObject({ status: 500, slug: 'internal' });
    expect(spec.detail).not.toMatch(/secret|undefined/);
  });

  it('uses the status of a raw framework error but never its message', () => {
    const spec = describeError(
      Object.assign(new Error('Request body is too large: 2000000 bytes'), { statusCode: 413 }),
    );
    expect(spec).toMatchObject({ status: 413, slug: 'payload-too-large' });
    expect(spec.detail).not.toMatch(/2000000/);
  });
});

describe('describeError when the database is unreachable', () => {
  it.each([
    [
      'a refused connection',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    [
      'a server shutting down',
      Object.assign(new Error('terminating connection due to administrator command'), {
        code: '57P01',
      }),
    ],
  ])('answers %s with 503 and Retry-After, without the driver text', (_, error) => {
    const spec = describeError(error);
    expect(spec).toMatchObject({ status: 503, retryAfterSeconds: 5 });
    expect(spec.detail).not.toMatch(/ECONN|127\.0\.0\.1|terminat/);
  });
});

describe('describeError for database failures that are not an outage', () => {
  it('answers a protocol violation (08P01) as a bug: 500, no Retry-After', () => {
    const violation = Object.assign(new Error('invalid message format'), { code: '08P01' });
    const spec = describeError(new DriverException(violation));
    expect(spec).toMatchObject({ status: 500, slug: 'internal' });
    expect(spec.retryAfterSeconds).toBeUndefined();
  });
});

describe('describeError for a statement cancelled by the statement timeout', () => {
  it('answers 57014 (query_canceled) with 503 and Retry-After, never 500 or the driver text', () => {
    const cancelled = Object.assign(
      new Error('canceling statement due to statement timeout on "products_name_trgm_idx"'),
      { code: '57014', severity: 'ERROR' },
    );
    const spec = describeError(new DriverException(cancelled));
    expect(spec).toMatchObject({ status: 503, slug: 'statement-timeout', retryAfterSeconds: 5 });
    expect(JSON.stringify(spec)).not.toMatch(/canceling|products_name/);
  });
});

describe('describeError for PostgreSQL data and integrity errors (classes 22 and 23)', () => {
  const driverError = (code: string) =>
    new DriverException(
      Object.assign(new Error(`secret: value too long in "customers_email_lower_unique"`), {
        code,
        severity: 'ERROR',
      }),
    );

  it.each([
    ['22001', 400, 'invalid-input'],
    ['22003', 400, 'invalid-input'],
    ['22P02', 400, 'invalid-input'],
    ['23502', 400, 'invalid-input'],
    ['23001', 409, 'conflict'],
    ['23503', 409, 'conflict'],
    ['23505', 409, 'conflict'],
    ['23P01', 409, 'conflict'],
    ['23514', 422, 'rule-violation'],
  ])('answers %s with %i %s, never the database text', (code, status, slug) => {
    const spec = describeError(driverError(code));
    expect(spec).toMatchObject({ status, slug });
    expect(JSON.stringify(spec)).not.toMatch(/secret|customers_email/);
  });

  it('finds the SQLSTATE of a raw pg error wrapped in another error', () => {
    const raw = Object.assign(new Error('numeric field overflow'), {
      code: '22003',
      severity: 'ERROR',
    });
    expect(describeError(new Error('job failed', { cause: raw })).status).toBe(400);
  });

  it('does not read a socket error code as a SQLSTATE', () => {
    const socket = Object.assign(new Error('write EBADF'), { code: 'EBADF' });
    expect(describeError(new Error('wrapped', { cause: socket })).status).toBe(500);
  });
});

describe('describeError when the client has left (issue 21, item 8)', () => {
  // Node's error when a request's connection closes mid-body, as Nest passes on Fastify's 400.
  const aborted = Object.assign(new Error('aborted'), { code: 'ECONNRESET', statusCode: 400 });

  it('answers 499 client-closed-request, not a 503 outage', () => {
    const wrapped = new HttpException('aborted', 400, { cause: aborted });
    expect(describeError(wrapped)).toMatchObject({ status: 499, slug: 'client-closed-request' });
    expect(describeError(aborted).status).toBe(499);
  });

  it('still reads a database socket reset as an outage', () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
    expect(describeError(reset)).toMatchObject({ status: 503, retryAfterSeconds: 5 });
  });
});

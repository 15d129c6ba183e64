import { type ValidationError, ValidationPipe } from '@nestjs/common';
import type { FieldError } from './problem.js';

/**
 * The most entries a problem's `errors[]` lists: a 1 MiB body of empty order lines had one per
 * line, and the document promises a bound (issue 27).
 */
export const MAX_FIELD_ERRORS = 100;

/** Thrown by the validation pipe; the filter turns it into a 400 with `errors[]`. */
export class RequestValidationFailed extends Error {
  readonly errors: FieldError[];

  constructor(errors: FieldError[]) {
    super('The request is invalid.');
    this.errors = errors.slice(0, MAX_FIELD_ERRORS);
    this.name = 'RequestValidationFailed';
  }
}

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Validates and converts every body, query and param DTO. Unknown keys are dropped (`whitelist`),
 * never stored: a client cannot set `id` or `version` by sending them.
 */
export const requestValidationPipe = (): ValidationPipe =>
  new ValidationPipe({
    whitelist: true,
    transform: true,
    forbidUnknownValues: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationFailed(flatten(errors)),
  });

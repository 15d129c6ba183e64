import { InvalidInputError } from '../../errors/domain-error.js';

const KEY = /^[\x21-\x7e]{1,255}$/;

export class InvalidIdempotencyKey extends InvalidInputError {
  readonly message = 'Idempotency-Key must be 1-255 visible ASCII characters.';
}

/** An `Idempotency-Key` is 1-255 visible ASCII characters (a UUID is the usual choice). */
export function parseIdempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!KEY.test(value)) throw new InvalidIdempotencyKey();
  return value;
}

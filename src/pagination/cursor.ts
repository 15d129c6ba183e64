import { InvalidInputError } from '../errors/domain-error.js';

export class InvalidCursor extends InvalidInputError {
  readonly message = 'The cursor is not one this list issued.';
}

export type CursorValue = string | number | boolean | null;

/** A cursor is the sort key of the last row served, as base64url JSON: opaque to clients. */
export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string, arity: number): CursorValue[] {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor();
  }
  const isValue = (value: unknown): value is CursorValue =>
    value === null || ['string', 'number', 'boolean'].includes(typeof value);
  if (!Array.isArray(decoded) || decoded.length !== arity || !decoded.every(isValue)) {
    throw new InvalidCursor();
  }
  return decoded;
}

import { Transform } from 'class-transformer';

/** Strips surrounding whitespace from a string before it is validated; other values pass as they are. */
export const Trim = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

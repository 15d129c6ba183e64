import { ApiProperty } from '@nestjs/swagger';
import { ValidateBy, type ValidationOptions } from 'class-validator';

/**
 * Characters as PostgreSQL counts them for `varchar(n)`: Unicode code points. class-validator's
 * `Length`/`MaxLength` count UTF-16 units minus variation selectors (U+FE0F), so 200 × "a️"
 * passed a 200-character rule and then failed the 200-character column.
 */
export function codePointLength(text: string): number {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    // The low half of a surrogate pair belongs to the code point its high half started.
    if (code < 0xdc00 || code > 0xdfff || i === 0 || !isHighSurrogate(text.charCodeAt(i - 1))) {
      length++;
    }
  }
  return length;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/**
 * A string of `min` to `max` characters, counted as the database counts them. Also documents
 * the bounds in the OpenAPI schema (the Swagger plugin reads only class-validator's own rules).
 */
export function CharLength(
  min: number,
  max: number,
  options?: ValidationOptions,
): PropertyDecorator {
  const rule = ValidateBy(
    {
      name: 'charLength',
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const length = codePointLength(value);
          return length >= min && length <= max;
        },
        defaultMessage: (args) =>
          min === 0
            ? `${args?.property} must be at most ${max} characters long`
            : `${args?.property} must be ${min} to ${max} characters long`,
      },
    },
    options,
  );
  const documented = ApiProperty({ ...(min > 0 ? { minLength: min } : {}), maxLength: max });
  return (target, key) => {
    rule(target, key);
    documented(target, key);
  };
}

/** At most `max` characters, counted as the database counts them. */
export const MaxChars = (max: number, options?: ValidationOptions): PropertyDecorator =>
  CharLength(0, max, options);

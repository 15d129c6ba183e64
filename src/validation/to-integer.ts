/** A `@Transform` for a whole number read from text; anything else passes on for `@IsInt()` to refuse. */
export const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;

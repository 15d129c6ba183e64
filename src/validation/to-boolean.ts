const WORDS = { true: true, false: false } as const;
const WORDS_AND_DIGITS = { ...WORDS, 1: true, 0: false } as const;

/**
 * A `@Transform` for a boolean read from text (a query string, an environment variable):
 * `true`/`false`, and `1`/`0` when `digits` is set; anything else passes on unchanged for
 * `@IsBoolean()` to refuse.
 */
export const toBoolean =
  ({ digits = false } = {}) =>
  ({ value }: { value: unknown }): unknown => {
    const words: Record<string, boolean> = digits ? WORDS_AND_DIGITS : WORDS;
    return typeof value === 'string' && Object.hasOwn(words, value) ? words[value] : value;
  };

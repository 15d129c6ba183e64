const STRING_LITERAL = /'(?:[^']|'')*'/g;
// Not a digit of an identifier (c0, "t1"), a placeholder ($1) or a qualified name.
const NUMBER_LITERAL = /(?<![\w$."])\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi;

/**
 * The statement with every literal value replaced by `?`, as the semantic conventions ask of
 * `db.query.text`. MikroORM writes values into its SQL rather than sending parameters, so raw
 * statements would carry emails, password hashes and tokens' hashes to the trace collector.
 */
export function sqlWithoutValues(sql: string): string {
  return sql.replace(STRING_LITERAL, '?').replace(NUMBER_LITERAL, '?');
}

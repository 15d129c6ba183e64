import { DriverException } from '@mikro-orm/core';

const SQLSTATE = /^[0-9A-Z]{5}$/;

/**
 * The SQLSTATE of a PostgreSQL error anywhere in `error`'s cause chain: MikroORM's
 * `DriverException` copies it from the driver's error; pg's own `DatabaseError` (pg-boss, raw
 * queries) carries it with a `severity`. Undefined for anything else, e.g. socket errors.
 */
export function sqlStateOf(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    const { code } = current as { code?: unknown };
    const fromPostgres = current instanceof DriverException || 'severity' in current;
    if (fromPostgres && typeof code === 'string' && SQLSTATE.test(code)) return code;
    current = current.cause;
  }
  return undefined;
}

import { p } from '@mikro-orm/postgresql';

/**
 * A money amount in minor units (cents): `bigint` in PostgreSQL, so no total overflows a column,
 * and a JavaScript number in Keel. `Number()` on a bigint is exact only up to 2^53 - 1, so every
 * money column also carries `moneyCheck`: the database itself refuses what could not be read back.
 * docs/decisions/0042-money-in-bigint-within-safe-integers.md
 */
export const moneyColumn = () => p.bigint('number');

/** The CHECK expression that keeps a money column between 0 and `Number.MAX_SAFE_INTEGER`. */
export const moneyCheck = (column: string): string =>
  `${column} >= 0 and ${column} <= ${Number.MAX_SAFE_INTEGER}`;

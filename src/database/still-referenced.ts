import { DriverException, ForeignKeyConstraintViolationException } from '@mikro-orm/core';

/**
 * Whether a delete failed because other rows still reference the row: a foreign key with
 * ON DELETE RESTRICT (SQLSTATE 23001, which MikroORM leaves unconverted) or NO ACTION (23503).
 */
export function isStillReferenced(error: unknown): error is DriverException {
  return (
    error instanceof ForeignKeyConstraintViolationException ||
    (error instanceof DriverException && error.code === '23001')
  );
}

/**
 * What still refers to the row a delete was refused for, in words: `orders`, `line items`. Any
 * domain may point at another (issue 23), so the answer names the table the database reports:
 * for a refused delete, PostgreSQL's `table` field is the referencing table, not the deleted row's
 * (ri_ReportViolation), and MikroORM's exception copies the field.
 */
export function stillReferencedBy(error: DriverException): string {
  const table = 'table' in error && typeof error.table === 'string' ? error.table : undefined;
  return table ? table.replaceAll('_', ' ') : 'other rows';
}

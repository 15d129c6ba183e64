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

import {
  type EntityManager,
  OptimisticLockError,
  UniqueConstraintViolationException,
} from '@mikro-orm/core';
import { isStillReferenced, stillReferencedBy } from './still-referenced.js';

/**
 * The domain error to raise for each database refusal a flush can meet; a refusal with no entry
 * is rethrown as it is (the error table answers 500 or 503).
 */
export interface FlushTranslations {
  /** A unique index refused the row (e.g. an email or SKU taken in a race the pre-check lost). */
  unique?: () => Error;
  /** The version column: another writer changed the row since it was read. */
  stale?: () => Error;
  /** A foreign key kept a row that other rows still reference: `by` names them (`orders`). */
  stillReferenced?: (by: string) => Error;
  /**
   * A foreign key refused a row that points at a row that does not exist, by constraint name: the
   * constraint is the check (e.g. an order's customer), no read before the write is needed.
   */
  missingReference?: Record<string, () => Error>;
}

/**
 * Flushes the unit of work and turns the database's refusals into the domain's errors: services
 * check first for a clear answer, and the constraints settle races between requests.
 */
export async function translateFlushErrors(
  em: EntityManager,
  translations: FlushTranslations,
): Promise<void> {
  try {
    await em.flush();
  } catch (error) {
    throw translatedError(error, translations) ?? error;
  }
}

function translatedError(error: unknown, translations: FlushTranslations): Error | undefined {
  if (error instanceof UniqueConstraintViolationException) return translations.unique?.();
  if (error instanceof OptimisticLockError) return translations.stale?.();
  if (isStillReferenced(error)) {
    const constraint = constraintOf(error);
    const missing =
      constraint === undefined ? undefined : translations.missingReference?.[constraint];
    if (missing) return missing();
    return translations.stillReferenced?.(stillReferencedBy(error));
  }
  return undefined;
}

/** The constraint that refused the row: `pg`'s error field, which MikroORM's exception copies. */
function constraintOf(error: Error): string | undefined {
  return 'constraint' in error && typeof error.constraint === 'string'
    ? error.constraint
    : undefined;
}

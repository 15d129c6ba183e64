import type {
  ConnectionType,
  EntityKey,
  EntityName,
  EntityProperty,
  FilterQuery,
  QueryOrderMap,
} from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/core';
import { type CursorValue, InvalidCursor, decodeCursor, encodeCursor } from './cursor.js';
import type { Page, PageRequest } from './page.js';
import { unstorableReason } from '../validation/storable-text.js';
import { isUuid } from '../validation/uuid.js';

/** Exactly what `Date.prototype.toISOString()` writes for the years 0001-9999. */
const ISSUED_DATE = /^(?!0000)\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
/** The largest value of each integer column type (JavaScript numbers are exact up to 2^53 - 1). */
const INTEGER_MAX: Record<string, number> = {
  smallint: 2 ** 15 - 1,
  int2: 2 ** 15 - 1,
  int: 2 ** 31 - 1,
  integer: 2 ** 31 - 1,
  int4: 2 ** 31 - 1,
  bigint: Number.MAX_SAFE_INTEGER,
  int8: Number.MAX_SAFE_INTEGER,
};

/**
 * A date this list could have written into a cursor. JavaScript accepts dates PostgreSQL cannot
 * hold or parse (year +200000 reads as a time zone, year -271821 is before 4713 BC), and rolls
 * impossible ones over (Feb 30): only the exact ISO form of a real date is taken back.
 */
function parseDate(value: CursorValue): Date {
  const date = typeof value === 'string' && ISSUED_DATE.test(value) ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString() !== value) {
    throw new InvalidCursor();
  }
  return date;
}

/** A number the property's column can compare with: whole and in range for integer columns. */
function parseNumber<T extends object>(prop: EntityProperty<T>, value: CursorValue): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidCursor();
  const max = INTEGER_MAX[prop.columnTypes?.[0] ?? ''];
  if (max !== undefined && (!Number.isSafeInteger(value) || value > max || value < -max - 1)) {
    throw new InvalidCursor();
  }
  return value;
}

/** Turns a decoded cursor value back into the property's type, or refuses it. */
function parseOffset<T extends object>(prop: EntityProperty<T>, value: CursorValue): unknown {
  if (value === null) {
    if (prop.nullable) return null;
    throw new InvalidCursor();
  }
  const uuidColumn = prop.columnTypes?.[0] === 'uuid';
  switch (prop.runtimeType) {
    case 'Date':
      return parseDate(value);
    case 'number':
      return parseNumber(prop, value);
    case 'boolean':
      if (typeof value !== 'boolean') throw new InvalidCursor();
      return value;
    default:
      if (typeof value !== 'string' || unstorableReason(value) !== undefined) {
        throw new InvalidCursor();
      }
      if (uuidColumn && !isUuid(value)) throw new InvalidCursor();
      return value;
  }
}

/**
 * Keyset pagination: rows strictly after the cursor in `orderBy`, which must end with a unique key
 * so the order is total. Pages never overlap or skip rows, whatever is inserted meanwhile.
 * `connectionType: 'read'` lets a replica serve the page (database/replicas/, decision 0200).
 */
export async function findPage<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  request: PageRequest,
  orderBy: QueryOrderMap<T>,
  where: FilterQuery<T> = {},
  { connectionType }: { connectionType?: ConnectionType } = {},
): Promise<Page<T>> {
  const meta = em.getMetadata().get(entity);
  const keys = Object.keys(orderBy) as EntityKey<T>[];
  let after: Record<string, unknown> | undefined;
  if (request.cursor !== undefined) {
    const offsets = decodeCursor(request.cursor, keys.length);
    after = Object.fromEntries(
      keys.map((key, i) => [key, parseOffset(meta.properties[key], offsets[i])]),
    );
  }
  const page = await em.findByCursor(entity, {
    where: where as FilterQuery<NoInfer<T>>,
    orderBy,
    first: request.limit,
    after: after as never,
    includeCount: false,
    connectionType,
  });
  const last = page.items.at(-1) as Record<string, unknown> | undefined;
  const toCursorValue = (value: unknown): CursorValue =>
    value instanceof Date ? value.toISOString() : (value as CursorValue);
  return {
    items: page.items,
    nextCursor:
      page.hasNextPage && last ? encodeCursor(keys.map((key) => toCursorValue(last[key]))) : null,
  };
}

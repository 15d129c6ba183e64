import type {
  EntityKey,
  EntityName,
  EntityProperty,
  FilterQuery,
  QueryOrderMap,
} from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/core';
import { type CursorValue, InvalidCursor, decodeCursor, encodeCursor } from './cursor.js';
import type { Page, PageRequest } from './page.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Turns a decoded cursor value back into the property's type, or refuses it. */
function parseOffset<T extends object>(prop: EntityProperty<T>, value: CursorValue): unknown {
  if (value === null) {
    if (prop.nullable) return null;
    throw new InvalidCursor();
  }
  const isUuid = prop.columnTypes?.[0] === 'uuid';
  switch (prop.runtimeType) {
    case 'Date': {
      const date = typeof value === 'string' ? new Date(value) : undefined;
      if (!date || Number.isNaN(date.getTime())) throw new InvalidCursor();
      return date;
    }
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new InvalidCursor();
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw new InvalidCursor();
      return value;
    default:
      if (typeof value !== 'string' || (isUuid && !UUID.test(value))) throw new InvalidCursor();
      return value;
  }
}

/**
 * Keyset pagination: rows strictly after the cursor in `orderBy`, which must end with a unique key
 * so the order is total. Pages never overlap or skip rows, whatever is inserted meanwhile.
 */
export async function findPage<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  request: PageRequest,
  orderBy: QueryOrderMap<T>,
  where: FilterQuery<T> = {},
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

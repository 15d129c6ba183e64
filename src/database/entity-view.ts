import {
  type SqlEntityManager,
  type EntityMetadata,
  type EntityName,
  type Platform,
  ReferenceKind,
  Type,
} from '@mikro-orm/postgresql';

/**
 * How one entity's row becomes its view: the columns to select and, per column, the view's key
 * and the conversion MikroORM's hydration would apply. Built once per entity from its metadata,
 * so a column added to the entity is read and mapped without another edit.
 */
interface ViewPlan {
  selectById: string;
  columns: { column: string; key: string; convert?: (value: unknown) => unknown }[];
}

const plans = new WeakMap<EntityMetadata, ViewPlan>();

/**
 * One row as data, for reads that change nothing: a single `select … where id = ?` on the
 * primary, so no request fork, identity map or entity hydration
 * (docs/decisions/0111-reads-without-entities.md). Values are converted as the entity's would be
 * (dates parsed as MikroORM parses them, `bigint` columns by their mode); a reference (many-to-one)
 * is its id under `<property>Id` (docs/decisions/0195-a-read-follows-the-entity.md).
 */
export async function findViewById<Entity extends object>(
  em: SqlEntityManager,
  entityName: EntityName<Entity>,
  id: string,
): Promise<EntityView<Entity> | null> {
  const plan = viewPlan(em.getMetadata(entityName), em.getPlatform());
  // On the primary: an item read is what a client reads its ETag from before an If-Match write,
  // so it stays off replicas (decision 0200); lists may lag, this does not.
  const rows = await em
    .getConnection('write')
    .execute<Record<string, unknown>[]>(plan.selectById, [id], 'all');
  const row = rows[0];
  return row ? (mapRow(plan, row) as EntityView<Entity>) : null;
}

/** Exported for its spec. */
export function mapRow(plan: ViewPlan, row: Record<string, unknown>): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const { column, key, convert } of plan.columns) {
    const value = row[column];
    view[key] = convert === undefined || value === null ? value : convert(value);
  }
  return view;
}

/** What `findViewById` selects and how it maps, for an entity; exported for its spec. */
export function viewPlan(meta: EntityMetadata, platform: Platform): ViewPlan {
  const known = plans.get(meta);
  if (known) return known;
  const columns: ViewPlan['columns'] = [];
  for (const prop of meta.props) {
    if (prop.persist === false || prop.formula || prop.fieldNames?.length !== 1) continue;
    const column = prop.fieldNames[0];
    if (prop.kind === ReferenceKind.MANY_TO_ONE) {
      columns.push({ column, key: `${prop.name}Id` });
    } else if (prop.kind === ReferenceKind.SCALAR) {
      columns.push({ column, key: prop.name, convert: conversion(prop, platform) });
    }
  }
  const quote = (identifier: string) => platform.quoteIdentifier(identifier);
  const plan: ViewPlan = {
    selectById: `select ${columns.map(({ column }) => quote(column)).join(', ')} from ${quote(
      meta.tableName,
    )} where ${quote(meta.getPrimaryProp().fieldNames[0])} = ?`,
    columns,
  };
  plans.set(meta, plan);
  return plan;
}

type Property = EntityMetadata['props'][number];

/** What MikroORM's result mapper and hydrator do to a column's text; undefined: nothing. */
function conversion(prop: Property, platform: Platform): ((value: unknown) => unknown) | undefined {
  if (prop.runtimeType === 'Date') return (value) => platform.parseDate(value as string);
  const type = prop.customType;
  if (type && type.convertToJSValue !== Type.prototype.convertToJSValue) {
    return (value): unknown => type.convertToJSValue(value, platform);
  }
  return undefined;
}

type Scalar = string | number | boolean | bigint | Date;
type ViewKey<Key extends string, Value> = [Value] extends [(...args: never[]) => unknown]
  ? never
  : NonNullable<Value> extends Scalar
    ? Key
    : NonNullable<Value> extends { id: unknown }
      ? `${Key}Id`
      : never;
type ViewValue<Value> =
  NonNullable<Value> extends Scalar
    ? Exclude<Value, undefined>
    : NonNullable<Value> extends { id: infer Id }
      ? Id | Extract<Value, null>
      : never;

/**
 * The type of what `findViewById` answers for an entity: its columns (a nullable one as `null`,
 * never `undefined`: every column is selected), a reference as its id under `<property>Id`.
 * Derived from the entity's type, as the query and mapping are from its metadata.
 */
export type EntityView<Entity> = {
  [Key in keyof Entity & string as ViewKey<Key, Entity[Key]>]: ViewValue<Entity[Key]>;
};

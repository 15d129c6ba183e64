'use strict';
/**
 * The code each generated file needs for the domain's fields, as text the templates insert:
 * the templates keep the shape of each file, this file fills in one line per field.
 * Prettier formats the result (format.js), so line lengths are not a concern here.
 */

const nullable = (field, type) => (field.optional ? `${type} | null` : type);

/** The TypeScript type of a field in the entity and the service's input. */
function tsType(field, names) {
  if (field.type === 'enum') return `${names.Singular}${capitalise(field.name)}`;
  return field.tsType;
}
const capitalise = (word) => word.charAt(0).toUpperCase() + word.slice(1);

/** How a field's value goes from the view to the JSON answer. */
function toWire(field, owner) {
  const value = `${owner}.${field.wire}`;
  if (!field.toWire) return value;
  return field.optional ? `${value} === null ? null : ${field.toWire(value)}` : field.toWire(value);
}

function entityCode(fields, names) {
  const texts = fields.filter((field) => field.type === 'text');
  const enums = fields.filter((field) => field.type === 'enum');
  const refs = fields.filter((field) => field.type === 'ref');
  const properties = fields.map((field) => {
    const builder = field.kind.entity(field, names) + (field.optional ? '.nullable()' : '');
    return field.type === 'ref' ? `${field.name}: () => ${builder},` : `${field.name}: ${builder},`;
  });
  const checks = fields
    .filter((field) => field.check)
    .map(
      (field) =>
        `{ name: '${names.table}_${field.column}_money', expression: moneyCheck('${field.column}') },`,
    );
  const imports = [
    ...(checks.length > 0
      ? ["import { moneyCheck, moneyColumn } from '../../database/money.js';"]
      : []),
    ...refs
      .filter(
        (field, i) => refs.findIndex((other) => other.target.plural === field.target.plural) === i,
      )
      .filter((field) => field.target.plural !== names.plural)
      .map(
        (field) =>
          `import { ${field.target.Singular} } from '../${field.target.plural}/${field.target.singular}.entity.js';`,
      ),
  ];
  const declarations = [
    ...(texts.length > 0
      ? [
          '/** Column lengths in characters; the request DTOs check the same numbers (CharLength). */',
          `export const ${names.SINGULAR}_TEXT_LIMITS = { ${texts.map((field) => `${field.name}: ${field.length}`).join(', ')} } as const;`,
        ]
      : []),
    ...enums.flatMap((field) => [
      `export const ${names.SINGULAR}_${field.constant}_VALUES = [${field.values.map((value) => `'${value}'`).join(', ')}] as const;`,
      `export type ${tsType(field, names)} = (typeof ${names.SINGULAR}_${field.constant}_VALUES)[number];`,
    ]),
    ...refs.flatMap((field) => [
      `/** The foreign key of \`${names.table}.${field.column}\`: its refusal of a new row means the ${field.target.human} does not exist. */`,
      `export const ${field.foreignKeyConstant} = '${field.foreignKey}';`,
    ]),
  ];
  return { imports, declarations, properties, checks };
}

/** Indexes: keyset pages, and each reference (its owner's pages, for the owner). */
function indexes(fields, names, owner) {
  const created = { name: `${names.table}_created_at_id_idx`, properties: ['createdAt', 'id'] };
  const byReference = fields
    .filter((field) => field.type === 'ref')
    .map((field) =>
      field === owner
        ? {
            name: `${names.table}_${field.column}_created_at_id_idx`,
            properties: [field.name, 'createdAt', 'id'],
            columns: [field.column, 'created_at', 'id'],
          }
        : {
            name: `${names.table}_${field.column}_idx`,
            properties: [field.name],
            columns: [field.column],
          },
    );
  return [{ ...created, columns: ['created_at', 'id'] }, ...byReference];
}

/** The migration's statements, in the order MikroORM's migrator writes them. */
function migrationStatements(fields, names, owner) {
  const q = (identifier) => `"${identifier}"`;
  const columns = [
    `${q('id')} uuid not null`,
    ...fields.map(
      (field) => `${q(field.column)} ${field.sqlType} ${field.optional ? 'null' : 'not null'}`,
    ),
    `${q('created_at')} timestamptz not null`,
    `${q('updated_at')} timestamptz not null`,
    `${q('version')} int not null default 1`,
    `primary key (${q('id')})`,
  ];
  const statements = [`create table ${q(names.table)} (${columns.join(', ')});`];
  for (const index of indexes(fields, names, owner)) {
    statements.push(
      `create index ${q(index.name)} on ${q(names.table)} (${index.columns.map(q).join(', ')});`,
    );
  }
  // The migrator leaves a blank line between the tables and the constraints added after them.
  const alters = [];
  for (const field of fields.filter((candidate) => candidate.type === 'ref')) {
    alters.push(
      `alter table ${q(names.table)} add constraint ${q(field.foreignKey)} foreign key (${q(field.column)}) references ${q(field.target.table)} (${q('id')}) on delete restrict;`,
    );
  }
  // The entity's own checks (money) come before those MikroORM derives from enum properties.
  for (const field of fields.filter((candidate) => candidate.check)) {
    alters.push(
      `alter table ${q(names.table)} add constraint ${q(`${names.table}_${field.column}_money`)} check (${field.check});`,
    );
  }
  for (const field of fields.filter((candidate) => candidate.type === 'enum')) {
    alters.push(
      `alter table ${q(names.table)} add constraint ${q(`${names.table}_${field.column}_check`)} check (${q(field.column)} in (${field.values.map((value) => `'${value}'`).join(', ')}));`,
    );
  }
  return alters.length > 0 ? [...statements, '', ...alters] : statements;
}

function dtoCode(fields, names) {
  const uses = new Map();
  const use = (module, name) => uses.set(module, new Set([...(uses.get(module) ?? []), name]));
  const properties = fields.map((field) => {
    const decorators = field.kind.dto(field, names).flat();
    for (const decorator of decorators) {
      const name = /^@(\w+)/.exec(decorator)[1];
      use(DECORATOR_MODULES[name] ?? 'class-validator', name);
    }
    if (field.type === 'text')
      use(`../${names.singular}.entity.js`, `${names.SINGULAR}_TEXT_LIMITS`);
    if (field.type === 'enum') {
      use(`../${names.singular}.entity.js`, `${names.SINGULAR}_${field.constant}_VALUES`);
      use(`../${names.singular}.entity.js`, `type ${tsType(field, names)}`);
    }
    if (field.type === 'timestamp') use('../../../validation/date-time.js', 'toTimestamp');
    if (field.optional) use('../../../validation/presence.js', 'IsNullable');
    const type = nullable(field, tsType(field, names));
    return [
      `/** ${field.type === 'ref' ? `The ${field.target.human}'s id` : capitalise(field.description)}${field.optional ? '; `null`: none' : ''}. */`,
      ...(field.optional ? ['@IsNullable()'] : []),
      ...decorators,
      `${field.wire}${field.optional ? '?' : '!'}: ${type};`,
      '',
    ].join('\n');
  });
  const imports = [...uses]
    .sort(([a], [b]) =>
      a.startsWith('.') === b.startsWith('.') ? a.localeCompare(b) : a.startsWith('.') ? 1 : -1,
    )
    .map(([module, used]) => {
      const sorted = [...used].sort((a, b) =>
        a.replace('type ', '').localeCompare(b.replace('type ', '')),
      );
      return `import { ${sorted.join(', ')} } from '${module}';`;
    });
  return { imports, properties };
}

const DECORATOR_MODULES = {
  Trim: '../../../validation/trim.js',
  CharLength: '../../../validation/text-length.js',
  IsCalendarDate: '../../../validation/date-time.js',
  IsTimestamp: '../../../validation/date-time.js',
  IsId: '../../../http/resource-id.js',
  ApiProperty: '@nestjs/swagger',
  Transform: 'class-transformer',
};

/**
 * Every variable the templates use for the fields. `owner` is the reference to customers that
 * `--owned-by` names, or undefined.
 */
function fieldCode(fields, names, owner) {
  const entityFields = fields.map((field) => ({
    ...field,
    ts: nullable(field, tsType(field, names)),
    wireTs: nullable(
      field,
      field.type === 'enum' ? tsType(field, names) : (field.wireType ?? field.tsType),
    ),
  }));
  const patchable = entityFields.find((field) => field.type !== 'ref');
  // Ids of referenced rows in the unit tests: fixed UUIDs, one a field.
  entityFields
    .filter((field) => field.type === 'ref')
    .forEach((field, i) => {
      field.unitId = `'0190a1b2-c3d4-7e5f-8a9b-${String(i + 1).padStart(12, '0')}'`;
    });
  for (const field of entityFields) {
    const sample = field.type === 'ref' ? field.unitId : field.samples[0];
    field.unitInput = field.type === 'timestamp' ? `new Date(${sample})` : sample;
    field.unitEntity = field.type === 'ref' ? `{ id: ${sample} }` : field.unitInput;
    field.unitOther =
      field.type === 'timestamp' ? `new Date(${field.samples?.[1]})` : field.samples?.[1];
  }
  return {
    fields: entityFields,
    refs: entityFields.filter((field) => field.type === 'ref'),
    owner: entityFields.find((field) => field.name === owner?.name),
    patchable,
    entity: entityCode(fields, names),
    indexes: indexes(fields, names, owner),
    migration: migrationStatements(fields, names, owner),
    dto: dtoCode(fields, names),
    toWire,
    entityImportNames: [
      ...fields.filter((field) => field.type === 'enum').map((field) => tsType(field, names)),
    ],
  };
}

module.exports = { fieldCode };

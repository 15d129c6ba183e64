'use strict';
/**
 * What each field type becomes in a generated domain: the column (entity and SQL), the request
 * rule, the value as answered, and the samples the generated tests send —
 * valid ones, and the bad ones each rule must refuse. Values are TypeScript source text. Every
 * request field carries its OpenAPI schema itself (`@ApiProperty` or a rule that adds one), so the
 * document is whole without the Swagger compiler plugin too (in Jest's in-process apps).
 * A new type is one entry here (and a line in the --help text, usage.js).
 */

/** The column's own range (PostgreSQL `int`), when `int` gives none. */
const INT_MIN = -2147483648;
const INT_MAX = 2147483647;
const MAX_TEXT = 10485760;

const source = (value) => JSON.stringify(value).replaceAll('"', "'");

const text = {
  read(argument, field, { spec, InvalidField }) {
    const length = argument === undefined ? 200 : Number(argument);
    if (!Number.isInteger(length) || length < 1 || length > MAX_TEXT) {
      throw new InvalidField(`"${spec}": text takes a length of 1 to ${MAX_TEXT} (text:500).`);
    }
    return {
      length,
      tsType: 'string',
      sqlType: `varchar(${length})`,
      description: `1 to ${length} characters, trimmed`,
      samples: [source(`Some ${field.human}`), source(`Other ${field.human}`)],
      bad: [
        ['a blank', source('   ')],
        [`over ${length} characters`, `'x'.repeat(${length + 1})`],
        ['a number', '42'],
      ],
    };
  },
  entity: (field, names) => `p.string().length(${names.SINGULAR}_TEXT_LIMITS.${field.name})`,
  dto: (field, names) => [
    ['@Trim()', '@IsString()', `@CharLength(1, ${names.SINGULAR}_TEXT_LIMITS.${field.name})`],
  ],
};

const int = {
  read(argument, field, { spec, InvalidField }) {
    let [min, max] = [INT_MIN, INT_MAX];
    if (argument !== undefined) {
      const range = /^(-?\d+)\.\.(-?\d+)$/.exec(argument);
      [min, max] = range ? [Number(range[1]), Number(range[2])] : [NaN, NaN];
      if (!(min >= INT_MIN && max <= INT_MAX && min <= max)) {
        throw new InvalidField(
          `"${spec}": int takes a range within ${INT_MIN}..${INT_MAX}, the smaller first (int:0..100).`,
        );
      }
    }
    return {
      min,
      max,
      tsType: 'number',
      sqlType: 'int',
      description: `a whole number, ${min} to ${max}`,
      samples: [String(min <= 7 && 7 <= max ? 7 : min), String(max)],
      bad: [
        ['one above the range', String(max + 1)],
        ['one below the range', String(min - 1)],
        ['a fraction', String(min + 0.5)],
        ['a number as text', source(String(min))],
      ],
    };
  },
  entity: () => 'p.integer()',
  dto: (field) => [
    [
      '@IsInt()',
      `@Min(${field.min})`,
      `@Max(${field.max})`,
      `@ApiProperty({ type: 'integer', minimum: ${field.min}, maximum: ${field.max} })`,
    ],
  ],
};

const money = {
  read(_argument, field) {
    return {
      tsType: 'number',
      sqlType: 'bigint',
      check: `${field.column} >= 0 and ${field.column} <= ${Number.MAX_SAFE_INTEGER}`,
      description: 'minor units (cents), 0 to 2^53 - 1',
      samples: ['12345', String(Number.MAX_SAFE_INTEGER)],
      bad: [
        ['a negative amount', '-1'],
        ['an amount beyond 2^53 - 1', '2 ** 53'],
        ['a fraction of a cent', '0.5'],
        ['an amount as text', source('100')],
      ],
    };
  },
  entity: () => 'moneyColumn()',
  dto: () => [
    [
      '@IsInt()',
      '@Min(0)',
      '@Max(Number.MAX_SAFE_INTEGER)',
      "@ApiProperty({ type: 'integer', minimum: 0, maximum: Number.MAX_SAFE_INTEGER })",
    ],
  ],
};

const bool = {
  read() {
    return {
      tsType: 'boolean',
      sqlType: 'boolean',
      description: '`true` or `false`',
      samples: ['true', 'false'],
      bad: [
        ['a word', source('yes')],
        ['a number', '1'],
      ],
    };
  },
  entity: () => 'p.boolean()',
  dto: () => [['@IsBoolean()', "@ApiProperty({ type: 'boolean' })"]],
};

const date = {
  read() {
    return {
      tsType: 'string',
      sqlType: 'date',
      description: 'a calendar day, `YYYY-MM-DD`',
      samples: [source('2026-12-31'), source('2027-01-15')],
      bad: [
        ['a day that does not exist', source('2026-02-30')],
        ['a time', source('2026-01-01T10:00:00Z')],
        ['a word', source('tomorrow')],
      ],
    };
  },
  entity: () => 'p.date()',
  dto: () => [['@IsCalendarDate()']],
};

const timestamp = {
  read() {
    return {
      tsType: 'Date',
      wireType: 'string',
      sqlType: 'timestamptz',
      description: 'an instant, ISO 8601 with a time zone',
      toWire: (value) => `${value}.toISOString()`,
      samples: [source('2026-12-31T12:00:00.000Z'), source('2027-01-15T08:30:00.000Z')],
      bad: [
        ['a time without a time zone', source('2026-01-01T10:00:00')],
        ['a day that does not exist', source('2026-02-30T10:00:00Z')],
        ['a word', source('soon')],
      ],
    };
  },
  entity: () => 'p.datetime()',
  dto: () => [['@Transform(toTimestamp)', '@IsTimestamp()']],
};

const enumType = {
  read(argument, field, { spec, InvalidField }) {
    const values = (argument ?? '').split(',');
    if (
      values.some((value) => !/^[a-z][a-z0-9_-]*$/.test(value)) ||
      new Set(values).size !== values.length
    ) {
      throw new InvalidField(
        `"${spec}": enum takes distinct lower-case values, comma-separated (enum:draft,issued,paid).`,
      );
    }
    return {
      values,
      tsType: null,
      sqlType: 'text',
      description: `one of ${values.join(', ')}`,
      samples: [source(values[0]), source(values[values.length - 1])],
      bad: [
        ['a value not in the list', source(`not-${values[0]}`)],
        ['a number', '1'],
      ],
    };
  },
  entity: (field, names) => `p.enum(${names.SINGULAR}_${field.constant}_VALUES)`,
  dto: (field, names) => [
    [
      `@IsIn(${names.SINGULAR}_${field.constant}_VALUES)`,
      `@ApiProperty({ enum: ${names.SINGULAR}_${field.constant}_VALUES })`,
    ],
  ],
};

const ref = {
  read(argument, _field, { spec, InvalidField }) {
    if (!argument) {
      throw new InvalidField(`"${spec}": ref names the domain it refers to (ref:customers).`);
    }
    return {
      tsType: 'string',
      sqlType: 'uuid',
      bad: [['a malformed id', source('not-a-uuid')]],
    };
  },
  entity: (field) =>
    `p.manyToOne(${field.target.Singular}).deleteRule('restrict').foreignKeyName(${field.foreignKeyConstant})`,
  dto: () => [['@IsId()', "@ApiProperty({ format: 'uuid' })"]],
};

const FIELD_TYPES = { text, int, money, bool, date, timestamp, enum: enumType, ref };

module.exports = { FIELD_TYPES };

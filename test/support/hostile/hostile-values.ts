import fc from 'fast-check';

/** Strings PostgreSQL, validators, parsers and logs have tripped on. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udc00',
  '\udbff\ud800',
  'a\ufe0f'.repeat(201),
  '😀'.repeat(201),
  '\u202e\u200b\ufeff',
  "'; drop table customers; --",
  '%_\\',
  '__proto__',
  'constructor',
  'null',
  'true',
  '-1',
  '1e309',
  '9'.repeat(40),
  '+200000-01-01T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '2026-02-30T00:00:00.000Z',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-7FFF-BFFF-FFFFFFFFFFFF',
  '../../etc/passwd',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
];

/** Numbers at and beyond every bound a column or a JavaScript number has. */
export const HOSTILE_NUMBERS = [
  0,
  -0,
  -1,
  0.5,
  1e-300,
  2 ** 31 - 1,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 32,
  2_000_000_001,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  2 ** 63,
  1e308,
  -1e308,
];

/** Keys that reach object prototypes when code copies a body carelessly. */
export const PROTOTYPE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
];

const loneSurrogate = fc
  .integer({ min: 0xd800, max: 0xdfff })
  .map((code) => String.fromCharCode(code));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  {
    weight: 1,
    arbitrary: fc.string({
      unit: fc.oneof(loneSurrogate, fc.constant('\u0000'), fc.constantFrom('a', 'é', '😀')),
      maxLength: 10,
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(5_000), 'é'.repeat(70_000)) },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
);

/** Any JSON value, hostile at the leaves, nested a little, with prototype keys among the keys. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    hostileNumber,
    hostileString,
    fc.array(tie('value'), { maxLength: 3 }),
    fc
      .array(
        fc.tuple(
          fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 8 })),
          tie('value'),
        ),
        {
          maxLength: 3,
        },
      )
      .map((entries) => Object.fromEntries(entries)),
  ),
})).value;

/** JSON nested `levels` deep, as text (building it as a value would overflow the stack first). */
export const nestedJson = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;

/** Bodies that are not a JSON object of the right shape at all. */
export const hostileRawBody: fc.Arbitrary<string> = fc.constantFrom(
  '',
  '{',
  '{"a":1,}',
  'null',
  '[]',
  '"text"',
  '12',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
  `{"name":${nestedJson(33)}}`,
  `{"name":${nestedJson(100_000)}}`,
  `{"name":"${'x'.repeat(1_100_000)}"}`,
  '\ufeff{}',
  '{"a":"\\ud800"}',
  '{"a":"\\u0000"}',
);

/** Cursors a client could forge: base64url JSON of hostile values, or not even that. */
export const hostileCursor: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(hostileJson, { maxLength: 3 })
    .map((values) => Buffer.from(JSON.stringify(values)).toString('base64url')),
  fc.constantFrom('', '%%%', 'x'.repeat(2_000), Buffer.from('[').toString('base64url')),
);

/** Query and path fragments sent as they are, not percent-encoded by us. */
export const RAW_URL_FRAGMENTS = [
  '%00',
  '%E0%A4%A',
  '%ED%A0%80',
  '%FF',
  '%',
  '%2e%2e%2f',
  '%20',
  '+',
];

/** Percent-encodes `text`, turning what cannot be encoded into a broken escape instead. */
export const encodeForUrl = (text: string): string =>
  text.isWellFormed()
    ? encodeURIComponent(text)
    : `${encodeURIComponent(text.toWellFormed())}%ED%A0%80`;

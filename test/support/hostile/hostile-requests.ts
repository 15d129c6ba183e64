import fc from 'fast-check';
import {
  encodeForUrl,
  hostileCursor,
  hostileJson,
  hostileNumber,
  hostileRawBody,
  hostileString,
  PROTOTYPE_KEYS,
  RAW_URL_FRAGMENTS,
} from './hostile-values.js';
import type { Operation, Schema } from './openapi-operations.js';

export interface HostileRequest {
  method: string;
  /** Path and query, encoded as they go on the wire. */
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** Real resources to aim at, so requests get past "not found" into the code that stores things. */
export interface Targets {
  /** One real id per resource name in the path (`customers`, `products`, `orders`). */
  ids: Record<string, string>;
}

/** Values that pass validation for well-known field names, so the other fields get tested deeper. */
const plausibleByName = (targets: Targets): Record<string, fc.Arbitrary<unknown>> => ({
  email: fc.uuid().map((id) => `fuzz-${id}@example.com`),
  password: fc.constant('a long passphrase'),
  name: fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme-ascii' }),
  sku: fc.uuid().map((id) => `FUZZ-${id}`),
  currency: fc.constantFrom('EUR', 'usd'),
  phone: fc.constantFrom('+44 20 7946 0000', null),
  customerId: fc.constantFrom(targets.ids.customers),
  productId: fc.constantFrom(targets.ids.products),
  quantity: fc.integer({ min: 1, max: 2 }),
  priceCents: fc.integer({ min: 0, max: 10_000 }),
  stock: fc.integer({ min: 0, max: 100 }),
});

/** A value the schema accepts, more or less: hostility comes from the fields around it. */
function plausible(schema: Schema, name: string, targets: Targets): fc.Arbitrary<unknown> {
  const byName = plausibleByName(targets)[name];
  if (byName) return byName;
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.format === 'uuid')
    return fc.oneof(fc.constantFrom(...Object.values(targets.ids)), fc.uuid());
  switch (schema.type) {
    case 'string':
      return fc.string({
        minLength: schema.minLength ?? 0,
        maxLength: Math.min(schema.maxLength ?? 20, 20),
      });
    case 'number':
    case 'integer':
      return fc.integer({
        min: schema.minimum ?? 0,
        max: Math.min(schema.maximum ?? 1_000, 1_000),
      });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valueFor(schema.items ?? {}, name, targets), { minLength: 1, maxLength: 3 });
    default:
      return schema.properties ? objectFor(schema, targets) : hostileJson;
  }
}

/** Any value at all where a field goes: null, the wrong type, a hostile string or number. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  hostileString,
  hostileNumber,
  hostileJson,
);

/** Mostly plausible, sometimes hostile (`undefined` drops the key). */
function valueFor(schema: Schema, name: string, targets: Targets): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: plausible(schema, name, targets) },
    { weight: 1, arbitrary: hostileValue },
  );
}

/**
 * An object of the schema's fields, plausible but for one or two hostile ones (so requests reach
 * the code behind validation too), plus now and then a prototype key or an unknown one.
 */
function objectFor(schema: Schema, targets: Targets): fc.Arbitrary<Record<string, unknown>> {
  const names = Object.keys(schema.properties ?? {});
  const fields = Object.entries(schema.properties ?? {}).map(([name, field]) =>
    plausible(field, name, targets).map((value): [string, unknown] => [name, value]),
  );
  const override =
    names.length > 0 ? fc.tuple(fc.constantFrom(...names), hostileValue) : fc.constant(undefined);
  const overrides = fc.array(fc.option(override, { nil: undefined }), { maxLength: 2 });
  const extra = fc.array(
    fc.tuple(
      fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 8 })),
      hostileJson,
    ),
    { maxLength: 2 },
  );
  return fc.tuple(fc.tuple(...fields), overrides, extra).map(([own, changes, more]) => {
    const entries = new Map<string, unknown>(own);
    for (const change of changes) if (change) entries.set(change[0], change[1]);
    for (const [key, value] of more) entries.set(key, value);
    return Object.fromEntries([...entries].filter(([, value]) => value !== undefined));
  });
}

function pathValue(resource: string, targets: Targets): fc.Arbitrary<string> {
  const real = targets.ids[resource];
  return fc.oneof(
    { weight: 6, arbitrary: real ? fc.constant(real) : fc.uuid() },
    { weight: 1, arbitrary: fc.constant((real ?? '').toUpperCase()) },
    { weight: 1, arbitrary: fc.uuid() },
    {
      weight: 2,
      arbitrary: hostileString
        .filter((text) => text.length > 0 && text.length < 300)
        .map(encodeForUrl),
    },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_URL_FRAGMENTS, 'x'.repeat(150)) },
  );
}

function queryValue(
  schema: Schema,
  name: string,
  targets: Targets,
): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    {
      weight: 3,
      arbitrary: plausible(schema, name, targets).map((value) => encodeForUrl(String(value))),
    },
    { weight: 1, arbitrary: hostileString.map(encodeForUrl) },
    { weight: 1, arbitrary: hostileNumber.map((value) => encodeForUrl(String(value))) },
    { weight: 1, arbitrary: fc.constantFrom(...RAW_URL_FRAGMENTS) },
    ...(name === 'cursor' ? [{ weight: 3, arbitrary: hostileCursor.map(encodeForUrl) }] : []),
  );
}

/** Header values as fetch can send them (visible ASCII), plausible or not. */
const headerValue: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(undefined) },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '"1"',
      '"2"',
      '*',
      'W/"1"',
      '"99999999999"',
      '"-1"',
      '""',
      ',',
      'x'.repeat(300),
    ),
  },
  { weight: 2, arbitrary: fc.uuid() },
  {
    weight: 1,
    arbitrary: fc
      .string({ unit: 'binary-ascii', maxLength: 40 })
      .map((text) => text.replace(/[^\x21-\x7e]/g, '')),
  },
);

/** Any request to `operation`: path, query, headers and body generated from its description. */
export function requestsFor(operation: Operation, targets: Targets): fc.Arbitrary<HostileRequest> {
  const path = fc
    .tuple(
      ...operation.pathParams.map((name) => {
        const resource = operation.path.split(`/{${name}}`)[0].split('/').pop() ?? '';
        return pathValue(resource, targets).map((value): [string, string] => [name, value]);
      }),
    )
    .map((values) =>
      values.reduce((url, [name, value]) => url.replace(`{${name}}`, value), operation.path),
    );
  const query = fc
    .tuple(
      ...operation.query.map(({ name, schema }) =>
        queryValue(schema, name, targets).map((value) =>
          value === undefined ? undefined : `${name}=${value}`,
        ),
      ),
      fc.constantFrom(
        undefined,
        undefined,
        undefined,
        '__proto__=1',
        'limit=1&limit=2',
        'constructor[prototype]=x',
      ),
    )
    .map((parts) => parts.filter((part) => part !== undefined).join('&'));
  const headers = fc
    .tuple(
      ...operation.headers.map(({ name }) =>
        headerValue.map((value): [string, string | undefined] => [name, value]),
      ),
    )
    .map(
      (entries) =>
        Object.fromEntries(entries.filter(([, value]) => value !== undefined)) as Record<
          string,
          string
        >,
    );
  const body: fc.Arbitrary<{ text?: string; type?: string }> = operation.body
    ? fc.oneof(
        {
          weight: 6,
          arbitrary: objectFor(operation.body, targets).map((value) => ({
            text: JSON.stringify(value),
          })),
        },
        { weight: 1, arbitrary: hostileRawBody.map((text) => ({ text })) },
        {
          weight: 1,
          arbitrary: hostileJson.map((value) => ({ text: JSON.stringify(value) ?? 'null' })),
        },
        {
          weight: 1,
          arbitrary: fc
            .constantFrom(
              'text/plain',
              'application/x-www-form-urlencoded',
              'application/json; charset=latin1',
            )
            .map((type) => ({ text: 'a=1', type })),
        },
      )
    : fc.constant({});
  return fc.record({ path, query, headers, body }).map(({ path, query, headers, body }) => ({
    method: operation.method,
    url: query ? `${path}?${query}` : path,
    headers:
      body.text === undefined
        ? headers
        : { ...headers, 'content-type': body.type ?? 'application/json' },
    body: body.text,
  }));
}

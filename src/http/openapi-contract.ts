import type {
  OpenAPIObject,
  OperationObject,
  ParameterObject,
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger';
import { CONSISTENCY_TOKEN_HEADER } from '../database/replicas/consistency-token.js';
import { MAX_CURSOR_LENGTH, MAX_PAGE_SIZE } from '../pagination/page.js';
import { isNegotiatedApiRoute } from './content-negotiation.hook.js';
import { problemResponse } from './problem-responses.js';

/**
 * What every operation of the API shares, added to the document once it is built, so that no
 * controller (and no generated domain) has to repeat it and none can forget it (issue 27,
 * docs/decisions/0215-an-owasp-clean-document.md):
 * - the problem responses every route of its kind can answer,
 * - the Consistency-Token: a header of every write's success, a parameter of every read;
 * - the rate-limit fields (RateLimit-Policy, RateLimit; decision 0217) and Retry-After,
 * - the limits Keel's conventions put on fields the DTOs declare without them.
 */

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Problems any API route can answer: validation or a malformed id/cursor, negotiation, limits, outages. */
const EVERY_ROUTE = [400, 406, 429, 500, 503];
const WITH_A_TOKEN = [401];
const WITH_A_PATH_ID = [404];
const WITH_IF_MATCH = [412];
const WITH_A_BODY = [408, 413, 415];
/** A write the database refuses by SQLSTATE class 23 (error-table.ts): 409 or 422, on any route. */
const A_WRITE = [409, 422];
const WRITES = new Set(['post', 'put', 'patch', 'delete']);

export const JWT_SCHEME_DESCRIPTION =
  'A JWT access token (`Authorization: Bearer <accessToken>`), from `POST /api/v1/auth/login` or ' +
  'the OpenID provider. Keel follows the JSON Web Token Best Current Practices (RFC8725): it ' +
  'accepts only its configured algorithms (HS256 for its own tokens; the provider keys and ' +
  'algorithms for OIDC, never `none`), checks issuer, audience (OIDC), `exp` (required) and ' +
  '`nbf`, and answers 401 without saying why. Tokens are short-lived; refresh tokens rotate.';

const header = (description: string, schema: SchemaObject) => ({ description, schema });

/** A Structured Fields list of policies, each a string with integer parameters (RFC 9651). */
const policyList = (parameters: string[]): SchemaObject => {
  const item = `"[a-z-]{1,32}"${parameters.map((name) => `;${name}=[0-9]{1,10}`).join('')}`;
  return { type: 'string', maxLength: 1024, pattern: `^${item}(, ${item})*$` };
};

const RATE_LIMIT_HEADERS = {
  'RateLimit-Policy': header(
    'draft-ietf-httpapi-ratelimit-headers: the quota policies that apply, e.g. ' +
      '`"auth-ip";q=5;w=60` (credential routes, AUTH_RATE_LIMIT_PER_MINUTE per client address ' +
      'and minute, always) and `"global";q=100;w=60` (every API route, when ' +
      'RATE_LIMIT_PER_MINUTE > 0). Absent where no limit applies.',
    policyList(['q', 'w']),
  ),
  RateLimit: header(
    'draft-ietf-httpapi-ratelimit-headers: what is left of each policy, e.g. ' +
      '`"auth-ip";r=4;t=58`: `r` requests remain until the window resets in `t` seconds. The ' +
      'counters are shared by every instance. Absent where no limit applies.',
    policyList(['r', 't']),
  ),
};
/** Set on every answer, errors included, when the request's Origin is listed (security-headers.hook.ts). */
const CORS_HEADERS = {
  'Access-Control-Allow-Origin': header(
    "The request's `Origin`, when it is one of CORS_ORIGINS; absent otherwise",
    { type: 'string', format: 'uri', maxLength: 2048 },
  ),
};
const RETRY_AFTER = {
  'Retry-After': header('Seconds to wait before retrying', {
    type: 'integer',
    format: 'int32',
    minimum: 0,
    maximum: 86_400,
  }),
};

/** Session consistency through read replicas (decision 0200): a write's answer, a read's request. */
const CONSISTENCY_TOKEN_SCHEMA: SchemaObject = {
  type: 'string',
  pattern: '^[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}$',
  maxLength: 17,
  example: '0/3000148',
};
const CONSISTENCY_TOKEN_ANSWER = {
  [CONSISTENCY_TOKEN_HEADER]: header(
    "With read replicas (DATABASE_READ_URLS): the primary's WAL position after this write. Send " +
      'it back on later reads to see this write on any instance',
    CONSISTENCY_TOKEN_SCHEMA,
  ),
};
const CONSISTENCY_TOKEN_PARAMETER: ParameterObject = {
  name: CONSISTENCY_TOKEN_HEADER,
  in: 'header',
  required: false,
  description:
    'A Consistency-Token a write answered with: the read is served by a replica only once it has ' +
    'replayed that write, else by the primary. Malformed: 400',
  schema: CONSISTENCY_TOKEN_SCHEMA,
};

export function completeContract(document: OpenAPIObject): OpenAPIObject {
  const bearer = document.components?.securitySchemes?.bearer;
  if (bearer && !('$ref' in bearer)) bearer.description = JWT_SCHEME_DESCRIPTION;
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      for (const parameter of operation.parameters ?? []) {
        if (!('$ref' in parameter)) limitParameter(parameter);
      }
      // Infrastructure (`/`, the status route) is never negotiated nor rate limited: left as it is.
      if (isNegotiatedApiRoute(path)) completeOperation(path, method, operation);
    }
  }
  const schemas = document.components?.schemas ?? {};
  for (const [name, schema] of Object.entries(schemas)) {
    if (!('$ref' in schema)) limitSchema(name, schema, schemas);
  }
  return document;
}

function completeOperation(path: string, method: string, operation: OperationObject): void {
  const parameters = (operation.parameters ?? []) as ParameterObject[];
  const statuses = [
    ...EVERY_ROUTE,
    ...(operation.security?.length ? WITH_A_TOKEN : []),
    ...(path.includes('{') ? WITH_A_PATH_ID : []),
    ...(parameters.some((parameter) => parameter.name === 'If-Match') ? WITH_IF_MATCH : []),
    ...(operation.requestBody ? WITH_A_BODY : []),
    ...(WRITES.has(method) ? A_WRITE : []),
  ];
  for (const status of statuses) operation.responses[String(status)] ??= problemResponse(status);
  if (!WRITES.has(method) && !parameters.some(({ name }) => name === CONSISTENCY_TOKEN_HEADER)) {
    operation.parameters = [...parameters, CONSISTENCY_TOKEN_PARAMETER];
  }
  if (parameters.some((parameter) => parameter.name === 'If-None-Match')) {
    operation.responses['304'] ??= {
      description: 'Not modified: the `If-None-Match` tag is current',
    };
  }
  for (const [status, response] of Object.entries(operation.responses)) {
    if (!response || '$ref' in response) continue;
    const answer = response;
    answer.headers = { ...CORS_HEADERS, ...answer.headers };
    if (/^[24]/.test(status)) answer.headers = { ...RATE_LIMIT_HEADERS, ...answer.headers };
    if (/^2/.test(status) && WRITES.has(method)) {
      answer.headers = { ...answer.headers, ...CONSISTENCY_TOKEN_ANSWER };
    }
    if (status === '429' || status === '503') {
      answer.headers = { ...answer.headers, ...RETRY_AFTER };
    }
  }
}

/**
 * Keel's conventions, true of every domain: ids are UUIDs, timestamps ISO 8601 in UTC as
 * `toISOString()` writes them, emails at most 320 characters, currencies three letters (ISO 4217),
 * cursors at most MAX_CURSOR_LENGTH, pages at most MAX_PAGE_SIZE items.
 */
function conventionFor(property: string): SchemaObject | undefined {
  if (property === 'id' || /[a-z]Id$/.test(property)) {
    return { format: 'uuid', minLength: 36, maxLength: 36 };
  }
  if (property === 'createdAt' || property === 'updatedAt') {
    return { format: 'date-time', minLength: 24, maxLength: 24 };
  }
  if (property === 'email') return { format: 'email', maxLength: 320 };
  if (property === 'currency') return { minLength: 3, maxLength: 3, pattern: '^[A-Za-z]{3}$' };
  if (property === 'nextCursor' || property === 'cursor') return { maxLength: MAX_CURSOR_LENGTH };
  return undefined;
}

const isUnboundedString = (schema: SchemaObject): boolean =>
  schema.type === 'string' &&
  schema.maxLength === undefined &&
  schema.enum === undefined &&
  !('const' in schema);

function limitParameter(parameter: ParameterObject): void {
  const schema = parameter.schema as SchemaObject | undefined;
  if (!schema || !isUnboundedString(schema)) return;
  Object.assign(schema, conventionFor(parameter.name) ?? {});
}

/**
 * Fills in the limits a schema's strings and arrays lack: Keel's conventions first, then, for an
 * `XResponse`, the limits `CreateXDto` puts on the same field (what was accepted is what is
 * answered), and the page size on a page's `items`.
 */
function limitSchema(
  name: string,
  schema: SchemaObject,
  schemas: Record<string, SchemaObject | ReferenceObject>,
): void {
  const properties = (schema.properties ?? {}) as Record<string, SchemaObject>;
  const accepted = schemas[`Create${name.replace(/Response$/, '')}Dto`] as SchemaObject | undefined;
  for (const [property, field] of Object.entries(properties)) {
    if ('$ref' in field) continue;
    if (isUnboundedString(field)) {
      const input = (accepted?.properties?.[property] ?? {}) as SchemaObject;
      const { minLength, maxLength, pattern, format } = input;
      Object.assign(
        field,
        conventionFor(property) ??
          (maxLength === undefined ? {} : { minLength, maxLength, pattern, format }),
      );
      for (const key of ['minLength', 'pattern', 'format'] as const) {
        if (field[key] === undefined) delete field[key];
      }
    }
    if (field.type === 'array' && field.maxItems === undefined && property === 'items') {
      if (properties.nextCursor) field.maxItems = MAX_PAGE_SIZE;
    }
  }
}

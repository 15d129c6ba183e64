import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { readFileSync } from 'node:fs';
import type { Reply } from './test-app.js';

/**
 * Every answer an e2e suite receives through the shared request helpers (test-app.ts,
 * client-address.ts) is checked against the OpenAPI document the built app serves (issue 27,
 * item 3; decision 0218): the status is documented for that operation, the content type is one it
 * lists, and the body validates against its schema — with no field the schema does not name. A
 * mismatch fails the test that caused it. Paths the document leaves out on purpose (probes,
 * /metrics, /docs) and unknown routes are not checked.
 */

interface MediaType {
  schema?: object;
}
interface Response {
  content?: Record<string, MediaType>;
}
interface Operation {
  responses: Record<string, Response>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, object> };
}

const DOCUMENT_ID = 'served-openapi.json';
// ajv-formats is CommonJS: its default export arrives as the module object under Node's ESM.
const addFormats = ((addFormatsModule as { default?: unknown }).default ?? addFormatsModule) as (
  ajv: Ajv,
) => Ajv;

let loaded: { operations: Route[]; ajv: Ajv } | undefined;
const validators = new Map<object, ValidateFunction>();

interface Route {
  pattern: RegExp;
  template: string;
  methods: Record<string, Operation>;
}

/**
 * Strict about fields: an object schema that names its properties allows no others, so a field
 * the document does not describe fails (the document itself stays open for clients).
 */
function closeObjects(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(closeObjects);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  if (schema.properties !== undefined && schema.additionalProperties === undefined) {
    schema.additionalProperties = false;
  }
  Object.values(schema).forEach(closeObjects);
}

function load(): { operations: Route[]; ajv: Ajv } | undefined {
  if (loaded) return loaded;
  const file = process.env.KEEL_TEST_OPENAPI_DOCUMENT;
  if (!file) return undefined;
  const document = JSON.parse(readFileSync(file, 'utf8')) as Document;
  const components = structuredClone(document.components ?? {});
  closeObjects(components.schemas);
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: DOCUMENT_ID, components }, DOCUMENT_ID);
  const operations = Object.entries(document.paths).map(([template, methods]) => ({
    template,
    methods,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  }));
  loaded = { operations, ajv };
  return loaded;
}

/** Local `$ref`s of the document resolve against the components ajv was given. */
function rebased(schema: object): object {
  return JSON.parse(
    JSON.stringify(schema).replaceAll('"#/components/', `"${DOCUMENT_ID}#/components/`),
  ) as object;
}

function validatorFor(ajv: Ajv, schema: object): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    const closed = rebased(schema);
    closeObjects(closed);
    validate = ajv.compile(closed);
    validators.set(schema, validate);
  }
  return validate;
}

export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

/** Throws a ContractViolation when `reply` is not what the document says `method path` answers. */
export function checkAgainstContract(method: string, url: string, reply: Reply<unknown>): void {
  const contract = load();
  if (!contract) return;
  // A CORS preflight is the browser's question about an operation, answered by the CORS hook for
  // every route (security-headers.e2e-spec.ts), not an operation of the API.
  if (method.toUpperCase() === 'OPTIONS') return;
  const path = new URL(url, 'http://keel.test').pathname.replace(/\/+$/, '') || '/';
  const route = contract.operations.find((candidate) => candidate.pattern.test(path));
  if (!route) return;
  const operation = route.methods[method.toLowerCase()];
  const where = `${method.toUpperCase()} ${route.template}`;
  if (!operation) {
    // A method the route does not have: 405 (or 404 when the router does not know the path).
    if (reply.status === 405 || reply.status === 404) return;
    throw new ContractViolation(`${where} is not in the document, yet answered ${reply.status}`);
  }
  const documented =
    operation.responses[String(reply.status)] ??
    operation.responses[`${String(reply.status)[0]}XX`] ??
    operation.responses.default;
  if (!documented) {
    throw new ContractViolation(
      `${where} answered ${reply.status}, which its document does not list ` +
        `(${Object.keys(operation.responses).join(', ')}): ${reply.text.slice(0, 300)}`,
    );
  }
  const contentType = (reply.headers.get('content-type') ?? '').split(';')[0].trim();
  const content = documented.content ?? {};
  if (reply.text === '') return;
  const media = content[contentType];
  if (!media) {
    throw new ContractViolation(
      `${where} answered ${reply.status} as ${contentType || 'no content type'}; the document ` +
        `lists ${Object.keys(content).join(', ') || 'no body'}`,
    );
  }
  if (!media.schema) return;
  let body: unknown = reply.body;
  if (typeof body === 'string' && /json/.test(contentType)) body = JSON.parse(body);
  const validate = validatorFor(contract.ajv, media.schema);
  if (!validate(body)) {
    throw new ContractViolation(
      `${where} answered ${reply.status} with a body its schema refuses: ` +
        `${contract.ajv.errorsText(validate.errors, { separator: '; ' })}\n${reply.text.slice(0, 500)}`,
    );
  }
}

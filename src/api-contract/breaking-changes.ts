/**
 * The changes between two OpenAPI 3 documents that break a client built on the older one (decision
 * 0222). Direction matters: what a client sends (parameters, request bodies) breaks when it is
 * narrowed; what it receives (success responses) breaks when a field it reads may be missing or
 * changes type. An enum value removed breaks both ways: the generated client no longer has it.
 */
export interface BreakingChange {
  /** `POST /api/v1/orders request body .items[].quantity` */
  where: string;
  change: string;
}

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  nullable?: boolean;
  enum?: unknown[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}
export interface OpenApiDocument {
  paths?: Record<string, Record<string, unknown>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];
/** What a client sends must still be accepted; what it receives must still be what it reads. */
type Direction = 'sent' | 'received';

/** Bounds a client's value must stay inside: tightening one narrows what is accepted. */
const LOWER_BOUNDS = ['minLength', 'minimum', 'minItems'] as const;
const UPPER_BOUNDS = ['maxLength', 'maximum', 'maxItems'] as const;

export function breakingChanges(before: OpenApiDocument, after: OpenApiDocument): BreakingChange[] {
  const found: BreakingChange[] = [];
  const report = (where: string, change: string) => found.push({ where, change });

  const resolve = (document: OpenApiDocument, schema: Schema | undefined): Schema | undefined => {
    const seen = new Set<string>();
    let current = schema;
    while (current?.$ref && !seen.has(current.$ref)) {
      seen.add(current.$ref);
      current = document.components?.schemas?.[current.$ref.split('/').pop()!];
    }
    if (!current?.allOf) return current;
    // allOf as Nest writes it (a $ref plus siblings): the union of the parts' properties.
    const parts = current.allOf.map((part) => resolve(document, part) ?? {});
    return {
      ...current,
      allOf: undefined,
      properties: Object.fromEntries(
        [...parts, current].flatMap((part) => Object.entries(part.properties ?? {})),
      ),
      required: [...parts.flatMap((part) => part.required ?? []), ...(current.required ?? [])],
    };
  };

  const compare = (
    where: string,
    oldSchema: Schema | undefined,
    newSchema: Schema | undefined,
    direction: Direction,
    visited: Set<string>,
  ): void => {
    const pair = `${oldSchema?.$ref}→${newSchema?.$ref}`;
    if (oldSchema?.$ref && newSchema?.$ref) {
      if (visited.has(pair)) return;
      visited = new Set(visited).add(pair);
    }
    const was = resolve(before, oldSchema);
    const is = resolve(after, newSchema);
    if (!was || !is) return;

    if (was.type !== undefined && is.type !== was.type) {
      const widened = was.type === 'integer' && is.type === 'number';
      const narrowed = was.type === 'number' && is.type === 'integer';
      if (!(direction === 'sent' ? widened : narrowed)) {
        report(where, `type changed: ${was.type} → ${is.type ?? 'any'}`);
      }
    }
    if (was.nullable && !is.nullable) report(where, 'no longer nullable');
    if (direction === 'received' && !was.nullable && is.nullable) report(where, 'may now be null');
    if (was.enum && is.enum) {
      for (const value of was.enum.filter((value) => !is.enum!.includes(value))) {
        report(where, `enum value ${JSON.stringify(value)} removed`);
      }
    } else if (!was.enum && is.enum && direction === 'sent') {
      report(where, `restricted to ${JSON.stringify(is.enum)}`);
    }

    if (direction === 'sent') {
      for (const bound of LOWER_BOUNDS) {
        if (is[bound] !== undefined && (was[bound] === undefined || is[bound] > was[bound])) {
          report(where, `${bound} raised: ${was[bound] ?? 'none'} → ${is[bound]}`);
        }
      }
      for (const bound of UPPER_BOUNDS) {
        if (is[bound] !== undefined && (was[bound] === undefined || is[bound] < was[bound])) {
          report(where, `${bound} lowered: ${was[bound] ?? 'none'} → ${is[bound]}`);
        }
      }
      if (is.pattern !== undefined && is.pattern !== was.pattern) {
        report(where, `pattern changed: ${was.pattern ?? 'none'} → ${is.pattern}`);
      }
      if (is.format !== undefined && is.format !== was.format) {
        report(where, `format changed: ${was.format ?? 'none'} → ${is.format}`);
      }
    }

    const wasRequired = new Set(was.required ?? []);
    const isRequired = new Set(is.required ?? []);
    for (const [name, property] of Object.entries(was.properties ?? {})) {
      const at = `${where}.${name}`;
      const now = is.properties?.[name];
      if (!now) {
        report(at, 'field removed');
        continue;
      }
      if (direction === 'sent' && !wasRequired.has(name) && isRequired.has(name)) {
        report(at, 'field made required');
      }
      if (direction === 'received' && wasRequired.has(name) && !isRequired.has(name)) {
        report(at, 'field no longer always present');
      }
      compare(at, property, now, direction, visited);
    }
    if (direction === 'sent') {
      for (const name of Object.keys(is.properties ?? {})) {
        if (!was.properties?.[name] && isRequired.has(name)) {
          report(`${where}.${name}`, 'required field added');
        }
      }
    }
    if (was.items && is.items) compare(`${where}[]`, was.items, is.items, direction, visited);
  };

  for (const [path, oldItem] of Object.entries(before.paths ?? {})) {
    for (const method of METHODS.filter((method) => oldItem[method])) {
      const label = `${method.toUpperCase()} ${path}`;
      const was = oldItem[method] as Operation;
      const is = after.paths?.[path]?.[method] as Operation | undefined;
      if (!is) {
        report(label, 'operation removed');
        continue;
      }
      compareParameters(label, was, is);
      compareRequestBodies(label, was, is);
      compareResponses(label, was, is);
    }
  }
  return found;

  function compareParameters(label: string, was: Operation, is: Operation): void {
    const key = (parameter: Parameter) => `${parameter.in}:${parameter.name.toLowerCase()}`;
    const now = new Map((is.parameters ?? []).map((parameter) => [key(parameter), parameter]));
    const old = new Set((was.parameters ?? []).map(key));
    for (const parameter of was.parameters ?? []) {
      const where = `${label} ${parameter.in} parameter ${parameter.name}`;
      const current = now.get(key(parameter));
      if (!current) report(where, 'parameter removed');
      else {
        if (!parameter.required && current.required) report(where, 'parameter made required');
        compare(where, parameter.schema, current.schema, 'sent', new Set());
      }
    }
    for (const parameter of is.parameters ?? []) {
      if (parameter.required && !old.has(key(parameter))) {
        report(`${label} ${parameter.in} parameter ${parameter.name}`, 'required parameter added');
      }
    }
  }

  function compareRequestBodies(label: string, was: Operation, is: Operation): void {
    const where = `${label} request body`;
    if (!was.requestBody) {
      if (is.requestBody?.required) report(where, 'required request body added');
      return;
    }
    if (!is.requestBody) return;
    if (!was.requestBody.required && is.requestBody.required) report(where, 'body made required');
    for (const [type, media] of Object.entries(was.requestBody.content ?? {})) {
      const current = is.requestBody.content?.[type];
      if (!current) report(where, `media type ${type} no longer accepted`);
      else compare(where, media.schema, current.schema, 'sent', new Set());
    }
  }

  function compareResponses(label: string, was: Operation, is: Operation): void {
    for (const [status, response] of Object.entries(was.responses ?? {})) {
      if (!status.startsWith('2')) continue;
      const current = is.responses?.[status];
      const where = `${label} response ${status}`;
      if (!current) {
        report(where, 'success status removed');
        continue;
      }
      for (const [type, media] of Object.entries(response.content ?? {})) {
        const now = current.content?.[type];
        if (!now) report(where, `media type ${type} no longer answered`);
        else compare(where, media.schema, now.schema, 'received', new Set());
      }
    }
  }
}

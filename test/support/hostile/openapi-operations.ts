/** The parts of an OpenAPI 3 document the hostile-input suite reads. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  allOf?: Schema[];
}

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface RawOperation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  security?: Record<string, string[]>[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components: { schemas: Record<string, Schema> };
}

export interface Operation {
  /** e.g. `PATCH /api/v1/customers/{id}` */
  name: string;
  method: string;
  /** The path template, `{name}` for each path parameter. */
  path: string;
  pathParams: string[];
  query: { name: string; schema: Schema }[];
  headers: { name: string; schema: Schema }[];
  body?: Schema;
  secured: boolean;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** A schema with its `$ref`s and `allOf`s resolved against the document (one level at a time). */
export function resolve(schema: Schema, document: OpenApiDocument): Schema {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolve(document.components.schemas[name], document);
  }
  if (schema.allOf?.length) {
    return schema.allOf.reduce<Schema>(
      (merged, part) => {
        const resolved = resolve(part, document);
        return {
          ...merged,
          ...resolved,
          properties: { ...merged.properties, ...resolved.properties },
          required: [...(merged.required ?? []), ...(resolved.required ?? [])],
        };
      },
      { ...schema, allOf: undefined },
    );
  }
  return schema;
}

/** Every operation the document describes, with what a request to it can carry. */
export function operationsOf(document: OpenApiDocument): Operation[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => {
      const operation = item[method];
      const parameters = operation.parameters ?? [];
      const of = (location: Parameter['in']) =>
        parameters
          .filter((parameter) => parameter.in === location)
          .map((parameter) => ({ name: parameter.name, schema: parameter.schema ?? {} }));
      const body = operation.requestBody?.content['application/json']?.schema;
      return {
        name: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        pathParams: of('path').map((parameter) => parameter.name),
        query: of('query'),
        headers: of('header'),
        body: body ? resolve(body, document) : undefined,
        secured: (operation.security ?? []).length > 0,
      };
    }),
  );
}

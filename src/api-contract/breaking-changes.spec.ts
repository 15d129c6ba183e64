import { breakingChanges, type OpenApiDocument } from './breaking-changes.js';

/** A small document in the shape Nest writes: an order route with a body, a list with a filter. */
function document(): OpenApiDocument & Record<string, unknown> {
  return {
    paths: {
      '/orders': {
        get: {
          parameters: [
            {
              name: 'limit',
              in: 'query',
              required: false,
              schema: { type: 'number', maximum: 100 },
            },
            {
              name: 'status',
              in: 'query',
              schema: { type: 'string', enum: ['pending', 'cancelled'] },
            },
          ],
          responses: {
            '200': {
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } },
            },
          },
        },
        post: {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/NewOrder' } } },
          },
          responses: {
            '201': {
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } },
            },
          },
        },
      },
      '/orders/{id}/cancel': { post: { responses: { '200': {} } } },
    },
    components: {
      schemas: {
        NewOrder: {
          type: 'object',
          properties: {
            customerId: { type: 'string' },
            note: { type: 'string', maxLength: 200 },
            lines: { type: 'array', items: { $ref: '#/components/schemas/Line' } },
          },
          required: ['customerId', 'lines'],
        },
        Line: {
          type: 'object',
          properties: { quantity: { type: 'integer' } },
          required: ['quantity'],
        },
        Order: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            status: { type: 'string', enum: ['pending', 'cancelled'] },
            totalCents: { type: 'number' },
            note: { type: 'string', nullable: true },
          },
          required: ['id', 'status', 'totalCents'],
        },
      },
    },
  };
}

type Edit = (d: ReturnType<typeof document>) => void;
const schemas = (d: OpenApiDocument) => d.components!.schemas!;
const changesAfter = (edit: Edit) => {
  const after = structuredClone(document());
  edit(after);
  return breakingChanges(document(), after).map(({ where, change }) => `${where}: ${change}`);
};

describe('breaking changes between two OpenAPI documents', () => {
  it('finds none between a document and itself', () => {
    expect(breakingChanges(document(), document())).toEqual([]);
  });

  it.each<[string, Edit, string]>([
    [
      'an operation removed',
      (d) => delete d.paths!['/orders/{id}/cancel'].post,
      'POST /orders/{id}/cancel: operation removed',
    ],
    [
      'a response field removed',
      (d) => delete schemas(d).Order.properties!.totalCents,
      'GET /orders response 200.totalCents: field removed',
    ],
    [
      'a response field no longer always present',
      (d) => (schemas(d).Order.required = ['id', 'status']),
      'POST /orders response 201.totalCents: field no longer always present',
    ],
    [
      'a response enum value removed',
      (d) => (schemas(d).Order.properties!.status.enum = ['pending']),
      'GET /orders response 200.status: enum value "cancelled" removed',
    ],
    [
      'a request enum value removed',
      (d) =>
        ((
          d.paths!['/orders'].get as { parameters: { schema: { enum: string[] } }[] }
        ).parameters[1].schema.enum = ['pending']),
      'GET /orders query parameter status: enum value "cancelled" removed',
    ],
    [
      'a request type narrowed',
      (d) =>
        ((
          d.paths!['/orders'].get as { parameters: { schema: { type: string } }[] }
        ).parameters[0].schema.type = 'integer'),
      'GET /orders query parameter limit: type changed: number → integer',
    ],
    [
      'a request length narrowed',
      (d) => (schemas(d).NewOrder.properties!.note.maxLength = 100),
      'POST /orders request body.note: maxLength lowered: 200 → 100',
    ],
    [
      'a request field made required',
      (d) => schemas(d).NewOrder.required!.push('note'),
      'POST /orders request body.note: field made required',
    ],
    [
      'a required request field added',
      (d) => {
        schemas(d).NewOrder.properties!.currency = { type: 'string' };
        schemas(d).NewOrder.required!.push('currency');
      },
      'POST /orders request body.currency: required field added',
    ],
    [
      'a required parameter added',
      (d) =>
        (d.paths!['/orders'].get as { parameters: unknown[] }).parameters.push({
          name: 'region',
          in: 'query',
          required: true,
          schema: { type: 'string' },
        }),
      'GET /orders query parameter region: required parameter added',
    ],
    [
      'a response field that may now be null',
      (d) => (schemas(d).Order.properties!.id.nullable = true),
      'GET /orders response 200.id: may now be null',
    ],
    [
      'a response type changed',
      (d) => (schemas(d).Order.properties!.totalCents.type = 'string'),
      'GET /orders response 200.totalCents: type changed: number → string',
    ],
  ])('reports %s', (_, edit, expected) => {
    expect(changesAfter(edit)).toContain(expected);
  });

  it.each<[string, Edit]>([
    [
      'an optional request field added',
      (d) => (schemas(d).NewOrder.properties!.coupon = { type: 'string' }),
    ],
    ['a response field added', (d) => (schemas(d).Order.properties!.currency = { type: 'string' })],
    ['an operation added', (d) => (d.paths!['/customers'] = { get: { responses: {} } })],
    ['a request limit widened', (d) => (schemas(d).NewOrder.properties!.note.maxLength = 500)],
    ['a request field made optional', (d) => (schemas(d).NewOrder.required = ['customerId'])],
    ['a request type widened', (d) => (schemas(d).Line.properties!.quantity.type = 'number')],
    [
      'a response type narrowed (number to integer)',
      (d) => (schemas(d).Order.properties!.totalCents.type = 'integer'),
    ],
    ['a response field made always present', (d) => schemas(d).Order.required!.push('note')],
    [
      'a request enum value added',
      (d) =>
        (
          d.paths!['/orders'].get as { parameters: { schema: { enum: string[] } }[] }
        ).parameters[1].schema.enum.push('expired'),
    ],
  ])('does not report %s', (_, edit) => {
    expect(changesAfter(edit)).toEqual([]);
  });

  it('follows self-referencing schemas without looping', () => {
    const tree = (): OpenApiDocument => ({
      paths: {
        '/tree': {
          get: {
            responses: {
              '200': {
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Node' } } },
              },
            },
          },
        },
      },
      components: {
        schemas: {
          Node: {
            type: 'object',
            properties: {
              children: { type: 'array', items: { $ref: '#/components/schemas/Node' } },
            },
          },
        },
      },
    });
    expect(breakingChanges(tree(), tree())).toEqual([]);
  });
});

import { readFile } from 'node:fs/promises';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Validator } from '@seriousme/openapi-schema-validator';
import { AppModule } from '../src/app.module.js';
import { checkAgainstContract, ContractViolation } from './support/contract.js';
import { controllerRoutes } from './support/controller-routes.js';
import { startBuiltApp, type BuiltApp } from './support/spawned-app.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface Operation {
  responses: Record<
    string,
    { content?: Record<string, { schema?: unknown }>; headers?: Record<string, unknown> }
  >;
  requestBody?: { content: Record<string, { schema: unknown }> };
  parameters?: { name: string; in: string; schema?: Record<string, unknown> }[];
  security?: unknown[];
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
    securitySchemes?: Record<string, { description?: string }>;
  };
}

@Module({ imports: [AppModule, DiscoveryModule] })
class DiscoverableAppModule {}

/** The document as the built app serves it: the Nest CLI plugin has added the DTO schemas there. */
describe('OpenAPI description', () => {
  let app: BuiltApp;
  let inProcess: TestApp;
  let document: OpenApiDocument;
  let base: string;

  beforeAll(async () => {
    // A production start takes ~15 s on a loaded 2-core machine: 20 s was too tight a bound.
    app = await startBuiltApp({}, { startTimeoutMs: 60_000 });
    base = app.base;
    document = (await (await fetch(`${base}/docs-json`)).json()) as OpenApiDocument;
    inProcess = await startTestApp(DiscoverableAppModule);
  }, 90_000);
  afterAll(async () => {
    app.child.kill('SIGTERM');
    await app.exited;
    await inProcess.close();
  });

  it('is the committed snapshot, openapi.json (npm run client:generate rewrites it)', async () => {
    // The snapshot is printed without a database (src/api-contract/print-document.ts): this holds
    // it to what the running app serves. A difference is an API change: regenerate and review it.
    const snapshot = JSON.parse(await readFile('openapi.json', 'utf8')) as OpenApiDocument;
    expect(document).toEqual(snapshot);
  });

  it('serves Swagger UI at /docs', async () => {
    const response = await fetch(`${base}/docs`);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/swagger-ui/i);
  });

  it('is a valid OpenAPI 3 document', async () => {
    const result = await new Validator().validate(document as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(document.openapi).toMatch(/^3\./);
  });

  it('lists every controller route (probes and metrics excepted)', () => {
    const routes = controllerRoutes(inProcess.app).filter((route) => !route.excludedFromDocs);
    expect(routes.length).toBeGreaterThan(5);
    const missing = routes.filter(
      (route) => !document.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method],
    );
    expect(missing).toEqual([]);
  });

  it('describes request bodies, responses, pagination and problem responses', () => {
    const create = document.paths['/api/v1/customers'].post;
    expect(JSON.stringify(create.requestBody)).toMatch(/CreateCustomerDto/);
    expect(document.components.schemas.CreateCustomerDto.required).toEqual(
      expect.arrayContaining(['name', 'email']),
    );
    expect(JSON.stringify(create.responses['201'])).toMatch(/CustomerResponse/);
    expect(create.responses['409'].content!['application/problem+json']).toBeDefined();
    expect(create.responses['400'].content!['application/problem+json']).toBeDefined();

    const list = document.paths['/api/v1/customers'].get;
    expect(list.parameters!.map((parameter) => parameter.name)).toEqual(
      expect.arrayContaining(['limit', 'cursor']),
    );
    expect(JSON.stringify(list.responses['200'])).toMatch(/CustomerPageResponse/);
    expect(document.components.schemas.ProblemDocument.properties).toHaveProperty('requestId');
    expect(document.components.securitySchemes).toHaveProperty('bearer');

    const headersOf = (path: string, method: string): string[] =>
      (document.paths[path]?.[method]?.parameters ?? [])
        .filter((parameter) => parameter.in === 'header')
        .map((parameter) => parameter.name);
    expect(headersOf('/api/v1/orders', 'post')).toContain('Idempotency-Key');
    expect(headersOf('/api/v1/products/{id}', 'patch')).toContain('If-Match');
    expect(headersOf('/api/v1/products/{id}', 'get')).toContain('If-None-Match');
    expect(document.paths['/api/v1/orders'].post.responses['422']).toBeDefined();
  });

  describe('as a contract (issue 27)', () => {
    const apiOperations = () =>
      Object.entries(document.paths)
        .filter(([path]) => path !== '/' && path !== '/api/v1/status')
        .flatMap(([path, methods]) =>
          Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
        );

    it('documents on every operation the problems any route of its kind can answer', () => {
      const missing = apiOperations().flatMap(({ path, method, operation }) => {
        const expected = [400, 406, 429, 500, 503];
        if (operation.security?.length) expected.push(401);
        if (path.includes('{')) expected.push(404);
        if (operation.requestBody) expected.push(408, 413, 415);
        if (method !== 'get') expected.push(409, 422);
        if (operation.parameters?.some((parameter) => parameter.name === 'If-Match')) {
          expected.push(412);
        }
        return expected
          .filter(
            (status) => !operation.responses[String(status)]?.content?.['application/problem+json'],
          )
          .map((status) => `${method} ${path} ${status}`);
      });
      expect(missing).toEqual([]);
    });

    it('documents the RateLimit fields on every 2xx and 4xx answer, Retry-After on 429 and 503', () => {
      const missing = apiOperations().flatMap(({ path, method, operation }) =>
        Object.entries(operation.responses).flatMap(([status, response]) => {
          const wanted = [
            ...(/^[24]/.test(status) ? ['RateLimit', 'RateLimit-Policy'] : []),
            ...(status === '429' || status === '503' ? ['Retry-After'] : []),
          ];
          return wanted
            .filter((name) => !response.headers?.[name])
            .map((name) => `${method} ${path} ${status} ${name}`);
        }),
      );
      expect(missing).toEqual([]);
    });

    it('states every limit Keel enforces: string lengths, array sizes, `limit`', () => {
      const unbounded: string[] = [];
      const walk = (node: unknown, at: string): void => {
        if (node === null || typeof node !== 'object') return;
        const schema = node as Record<string, unknown>;
        if (schema.type === 'string' && schema.maxLength === undefined && !schema.enum) {
          unbounded.push(at);
        }
        if (schema.type === 'array' && schema.maxItems === undefined) unbounded.push(at);
        for (const [key, value] of Object.entries(schema)) walk(value, `${at}.${key}`);
      };
      walk(document.components.schemas, 'schemas');
      walk(document.paths, 'paths');
      expect(unbounded).toEqual([]);

      const limit = document.paths['/api/v1/customers'].get.parameters!.find(
        (parameter) => parameter.name === 'limit',
      );
      expect(limit?.schema).toMatchObject({ minimum: 1, maximum: 100 });
      const order = document.components.schemas.CreateOrderDto.properties!.items;
      expect(order).toMatchObject({ minItems: 1, maxItems: 100 });
      const name = document.components.schemas.CreateCustomerDto.properties!.name;
      expect(name).toMatchObject({ minLength: 1, maxLength: 200 });
    });

    it('describes the bearer scheme as JSON Web Token best practice asks (RFC 8725)', () => {
      expect(document.components.securitySchemes!.bearer.description).toMatch(/RFC8725/);
    });

    it('documents 406 for an Accept without JSON', () => {
      expect(document.paths['/api/v1/products'].get.responses['406']).toBeDefined();
    });

    describe('the answer check every suite runs (support/contract.ts)', () => {
      const reply = (status: number, body: unknown, type = 'application/json') => ({
        status,
        headers: new Headers({ 'content-type': type }),
        body,
        text: JSON.stringify(body),
      });
      const customer = {
        id: '5f0c7f4e-8a63-4a5e-9a4e-6f3f2f1b1c2d',
        name: 'Ada',
        email: 'ada@example.com',
        phone: null,
        createdAt: '2026-12-07T10:00:00.000Z',
        updatedAt: '2026-12-07T10:00:00.000Z',
        version: 1,
      };
      const path = `/api/v1/customers/${customer.id}`;

      it('accepts an answer the document describes', () => {
        expect(() => checkAgainstContract('GET', path, reply(200, customer))).not.toThrow();
      });

      it('refuses a field the document does not name', () => {
        expect(() =>
          checkAgainstContract('GET', path, reply(200, { ...customer, passwordHash: 'x' })),
        ).toThrow(ContractViolation);
      });

      it('refuses a status the operation does not list', () => {
        expect(() => checkAgainstContract('GET', path, reply(418, customer))).toThrow(
          /answered 418/,
        );
      });

      it('refuses a content type the response does not list', () => {
        expect(() =>
          checkAgainstContract('GET', path, reply(200, customer, 'application/xml')),
        ).toThrow(ContractViolation);
      });
    });
  });
});

import { readFile } from 'node:fs/promises';
import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Validator } from '@seriousme/openapi-schema-validator';
import { AppModule } from '../src/app.module.js';
import { controllerRoutes } from './support/controller-routes.js';
import { startBuiltApp, type BuiltApp } from './support/spawned-app.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface Operation {
  responses: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  parameters?: { name: string; in: string }[];
}
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
    securitySchemes?: Record<string, unknown>;
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
});

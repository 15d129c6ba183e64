import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { OpenApiAmendment } from './openapi-amendment.js';
import { completeContract } from './openapi-contract.js';

const DOCS = '/docs';

/** Swagger UI's HTML page and its assets (not the JSON or YAML document), by route pattern. */
export const isDocsPage = (pattern: string | undefined): boolean =>
  pattern !== undefined && (pattern === DOCS || pattern.startsWith(`${DOCS}/`));

/**
 * The API description at GET /docs (Swagger UI) and GET /docs-json (OpenAPI 3). Schemas come from the
 * DTO classes through the Nest CLI plugin (nest-cli.json), so they cannot drift from the validation.
 */
export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Keel')
    .setDescription(
      'Errors are RFC 9457 application/problem+json documents. Lists are keyset-paginated: pass ' +
        '`nextCursor` back as `cursor`. Every response carries `X-Request-Id`. With read replicas, ' +
        'every successful write answers with a `Consistency-Token` header: send it back as a ' +
        '`Consistency-Token` request header and the read sees that write, on any instance.',
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
    .build();
  // Built on the first request for it (and kept), not at start: scanning every controller and DTO
  // was ~0.5 s of Keel's cold start on the bench machine (decision 0115).
  SwaggerModule.setup(
    DOCS.slice(1),
    app,
    () => completeContract(amended(app, SwaggerModule.createDocument(app, config))),
    {
      jsonDocumentUrl: 'docs-json',
      yamlDocumentUrl: 'docs-yaml',
    },
  );
}

/**
 * The document as the installed identity mode amends it (openapi-amendment.ts). Every mode provides
 * one: a missing provider would make Nest's application proxy abort the process, not throw.
 */
const amended = (app: INestApplication, document: OpenAPIObject): OpenAPIObject =>
  app.get(OpenApiAmendment, { strict: false }).amend(document);

/**
 * Prints the OpenAPI document exactly as GET /docs-json serves it, without a database: Nest's
 * preview mode scans every module and controller but instantiates no provider, so nothing connects
 * (no ORM, no pg-boss). The document is then asked for over Fastify's inject, through the same
 * setupOpenApi() that serves it. Run from dist/ (`npm run client:generate`): the Nest CLI plugin
 * adds the DTO schemas at build time.
 *
 * The served document depends on the configuration (the identity mode, for one): this prints it
 * for Keel's defaults, whatever the caller's shell or `.env` says, so the snapshot (openapi.json)
 * is the same on every machine (decision 0221).
 */
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';

/** What production needs to validate its configuration; neither value is ever used here. */
const DOCUMENT_ENVIRONMENT: NodeJS.ProcessEnv = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://openapi@127.0.0.1:1/never-connected',
  JWT_SECRET: 'openapi-document-only-secret-never-used-to-sign',
  LOG_LEVEL: 'silent',
};

for (const name of Object.keys(process.env)) {
  if (name !== 'PATH' && name !== 'HOME') delete process.env[name];
}
Object.assign(process.env, DOCUMENT_ENVIRONMENT);

// Imported only now: the app module reads the environment when it loads (identity.ts).
const { AppModule } = await import('../app.module.js');
const { setupOpenApi } = await import('../http/openapi.js');

const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), {
  preview: true,
  logger: false,
  abortOnError: false,
});
setupOpenApi(app);
await app.init();
const answer = await app
  .getHttpAdapter()
  .getInstance()
  .inject({ method: 'GET', url: '/docs-json' });
if (answer.statusCode === 200) {
  process.stdout.write(answer.body);
} else {
  process.stderr.write(`GET /docs-json answered ${answer.statusCode}: ${answer.body}\n`);
  process.exitCode = 1;
}

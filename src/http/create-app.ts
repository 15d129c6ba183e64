import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { Environment } from '../config/environment.js';
import { parseTrustProxy } from '../config/trust-proxy.js';
import { AppModule } from '../app.module.js';
import { frameworkErrorHandlers } from './framework-errors.js';
import { installJsonBodyParser } from './json-body-parser.js';
import { setupOpenApi } from './openapi.js';
import { requestIdFor } from './request-id.js';
import { installRequestPipeline } from './request-pipeline.js';
import { apiSecurityHeaders } from './security-headers.js';

/**
 * Builds the application exactly as it serves in production; main.ts and the e2e tests share it
 * (tests may wrap AppModule in a module of their own).
 */
export async function createApp(
  env: Environment,
  rootModule: object = AppModule,
): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: env.BODY_LIMIT,
    genReqId: requestIdFor,
    // The client address rate limits and the access log use: the peer's, unless TRUST_PROXY
    // names the proxies whose X-Forwarded-For is believed.
    trustProxy: parseTrustProxy(env.TRUST_PROXY ?? '') ?? false,
    // Fastify's own logger stays off: nestjs-pino writes the access log once.
    logger: false,
    ...frameworkErrorHandlers(apiSecurityHeaders()),
  });
  const fastify = adapter.getInstance();
  // JSON only: anything else is answered 415 instead of reaching validation as a string.
  fastify.removeContentTypeParser(['text/plain']);
  installJsonBodyParser(fastify, env.BODY_LIMIT);
  if (env.PRETTY_JSON) fastify.setReplySerializer((payload) => JSON.stringify(payload, null, 2));

  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    bufferLogs: true,
    // Fastify's own JSON parser (with BODY_LIMIT) is the only one: no urlencoded bodies.
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  installRequestPipeline(app, env);
  setupOpenApi(app);
  return app;
}

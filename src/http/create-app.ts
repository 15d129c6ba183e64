import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import type { Environment } from '../config/environment.js';
import { AppModule } from '../app.module.js';
import { Metrics } from '../metrics/metrics.service.js';
import { installAdmissionControl } from './admission/admission.hook.js';
import { frameworkErrorHandlers } from './framework-errors.js';
import { installJsonBodyParser } from './json-body-parser.js';
import { setupOpenApi } from './openapi.js';
import { installStorableTextCheck } from './storable-text.hook.js';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id.js';
import { securityHeaders } from './security-headers.js';

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
    // Fastify's own logger stays off: nestjs-pino writes the access log once.
    logger: false,
    ...frameworkErrorHandlers(securityHeaders()),
  });
  const fastify = adapter.getInstance();
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  // JSON only: anything else is answered 415 instead of reaching validation as a string.
  fastify.removeContentTypeParser(['text/plain']);
  installJsonBodyParser(fastify, env.BODY_LIMIT);
  installStorableTextCheck(fastify);
  if (env.PRETTY_JSON) fastify.setReplySerializer((payload) => JSON.stringify(payload, null, 2));

  const app = await NestFactory.create<NestFastifyApplication>(rootModule, adapter, {
    bufferLogs: true,
    // Fastify's own JSON parser (with BODY_LIMIT) is the only one: no urlencoded bodies.
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  // Before the hooks the modules add when the app starts: a refused request costs next to nothing.
  installAdmissionControl(
    fastify,
    {
      concurrency: env.ADMISSION_CONCURRENCY ?? env.DB_POOL_MAX,
      maxWaitMs: env.ADMISSION_MAX_WAIT_MS,
    },
    app.get(Metrics).httpRequestsShed,
  );
  setupOpenApi(app);
  return app;
}

import { Module } from '@nestjs/common';
import { TracingSelfCheck } from './tracing-self-check.js';

/**
 * OpenTelemetry tracing. The SDK itself starts before the app, in the preload (preload.ts); the app
 * checks at start-up that it really instruments http, Fastify and pg.
 */
@Module({ providers: [TracingSelfCheck] })
export class TracingModule {}

import 'reflect-metadata';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Server } from 'node:http';
import { AppModule } from './app.module.js';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.useGlobalPipes(new ValidationPipe());
  app.enableShutdownHooks();
  // Where the NestJS docs call app.listen(port): the same listen backlog as Keel and the baseline,
  // so that the 10,000-connection rows measure the service, not Node's default queue of 511
  // (Nest's listen() types have no backlog, so the HTTP server is started directly).
  await app.init();
  (app.getHttpServer() as Server).listen({
    port: Number(process.env.PORT ?? 3000),
    host: process.env.HOST ?? '127.0.0.1',
    backlog: Number(process.env.LISTEN_BACKLOG ?? 16_384),
  });
}
void bootstrap();

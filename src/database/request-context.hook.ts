import { MikroORM, RequestContext } from '@mikro-orm/core';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';

/**
 * Gives every request its own ORM context (identity map, unit of work).
 *
 * Opened in Fastify's `preHandler`, after the body has been parsed: a context opened earlier, as the
 * stock middleware does in `onRequest`, is lost on requests with a body (mikro-orm/nestjs#47,
 * fastify#3570). Guards, pipes, the handler and the error filter all run inside it.
 */
@Injectable()
export class RequestContextHook implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly orm: MikroORM,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('preHandler', (_request, _reply, done) => {
      RequestContext.create(this.orm.em, done);
    });
  }
}

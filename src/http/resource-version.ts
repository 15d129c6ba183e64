import { type ExecutionContext, applyDecorators, createParamDecorator } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { etagFor, expectedVersion } from './etag.js';

/** Entity tags are bounded only by Node's limit on the whole header section (431 above). */
const ENTITY_TAGS = { type: 'string', maxLength: 16_384 } as const;

/**
 * A resource's version over HTTP, the same way in every controller: its ETag on the response, the
 * `If-Match` a write checks, and both documented (decision 0033).
 */

/** Sets the entity's ETag on the reply and answers its response shape. */
export function tagged<T extends { version: number }, R>(
  reply: FastifyReply,
  entity: T,
  render: (entity: T) => R,
): R {
  reply.header('ETag', etagFor(entity.version));
  return render(entity);
}

/** The version the `If-Match` header expects (see `expectedVersion`): `@IfMatchVersion() v`. */
export const IfMatchVersion = createParamDecorator(
  (_: unknown, context: ExecutionContext): number | undefined =>
    expectedVersion(context.switchToHttp().getRequest<FastifyRequest>().headers['if-match']),
);

/** Documents `If-Match` on a write: 412 when `resource` changed since the tag was read. */
export const ApiIfMatch = (resource: string): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiHeader({
      name: 'If-Match',
      required: false,
      schema: ENTITY_TAGS,
      description: `ETag last read: 412 if the ${resource} changed since`,
    }),
  );

/** Documents `If-None-Match` on a read answered by the conditional-GET hook. */
export const ApiIfNoneMatch = (): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      schema: ENTITY_TAGS,
      description: 'ETag of a cached copy: 304 if unchanged',
    }),
  );

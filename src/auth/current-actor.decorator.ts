import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Actor } from './actor.js';
import { InvalidAccessToken } from './auth.errors.js';

/** The authenticated caller, for handlers to hand to services. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<FastifyRequest>().actor;
  // Only reachable on a route marked @Public() that still asks for the actor: a programming error
  // that must fail closed.
  if (!actor) throw new InvalidAccessToken();
  return actor;
});

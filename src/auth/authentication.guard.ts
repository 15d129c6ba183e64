import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { AccessTokens } from './access-tokens.js';
import { InvalidAccessToken } from './auth.errors.js';
import { isInfrastructureRoute } from './infrastructure-routes.js';
import { IS_PUBLIC } from './public.decorator.js';

const BEARER = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/;

/** Every route needs a valid access token unless it is marked @Public() or is infrastructure. */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: AccessTokens,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic || isInfrastructureRoute(request)) return true;

    const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (!token) throw new InvalidAccessToken();
    request.actor = await this.tokens.verify(token);
    return true;
  }
}

import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AccessTokens } from './access-tokens.js';
import { InvalidAccessToken } from './auth.errors.js';
import { isInfrastructureRoute } from './infrastructure-routes.js';
import { IS_PUBLIC, type PublicAccess } from './public.decorator.js';
import { routeMetadata } from './route-metadata.js';
import { RevocationList } from './revocation/revocation-list.js';

const BEARER = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/;
const publicAccess = routeMetadata<PublicAccess>(IS_PUBLIC);

/**
 * Every route needs a valid access token unless it is marked @Public() or is infrastructure (a
 * `@Public('token-optional')` route checks one only when it is sent), and one whose session and
 * account still stand: RevocationList answers that from memory on every request, the
 * verified-token cache included. Answers without a promise when it can (a public route, a token
 * already verified): Nest awaits only a guard that returns one.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    private readonly tokens: AccessTokens,
    private readonly revocations: RevocationList,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const access = publicAccess(context);
    if (access === 'anonymous' || isInfrastructureRoute(request)) return true;
    if (access === 'token-optional' && request.headers.authorization === undefined) return true;

    const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (!token) throw new InvalidAccessToken();
    const known = this.tokens.known(token);
    if (known) {
      request.actor = this.revocations.admit(known);
      return true;
    }
    return this.tokens.verify(token).then((actor) => {
      request.actor = this.revocations.admit(actor);
      return true;
    });
  }
}

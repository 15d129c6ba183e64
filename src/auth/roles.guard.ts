import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Role } from './roles.js';
import { RoleNotAllowed } from './auth.errors.js';
import { ROLES_KEY } from './roles.decorator.js';
import { routeMetadata } from './route-metadata.js';

const rolesOf = routeMetadata<Role[]>(ROLES_KEY);

/** Runs after AuthenticationGuard: a route with @Roles() admits only those roles. */
@Injectable()
export class RolesGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const roles = rolesOf(context);
    if (!roles) return true;
    const actor = context.switchToHttp().getRequest<FastifyRequest>().actor;
    if (!actor || !roles.includes(actor.role)) throw new RoleNotAllowed();
    return true;
  }
}

import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { Role } from './roles.js';
import { RoleNotAllowed } from './auth.errors.js';
import { ROLES_KEY } from './roles.decorator.js';

/** Runs after AuthenticationGuard: a route with @Roles() admits only those roles. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles) return true;
    const actor = context.switchToHttp().getRequest<FastifyRequest>().actor;
    if (!actor || !roles.includes(actor.role)) throw new RoleNotAllowed();
    return true;
  }
}

import {
  type CanActivate,
  type ExecutionContext,
  Injectable,
  NotFoundException,
} from '@nestjs/common';
import { BUILT_IN_IDENTITY_ROUTE } from '../built-in-identity-route.decorator.js';
import { routeMetadata } from '../route-metadata.js';

const builtInOnly = routeMetadata<boolean>(BUILT_IN_IDENTITY_ROUTE);

/** Keel's own register and login are not offered when the provider signs people in: 404, as unknown routes. */
@Injectable()
export class BuiltInRoutesOff implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (builtInOnly(context)) throw new NotFoundException();
    return true;
  }
}

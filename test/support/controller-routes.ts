import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { RequestMethod } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';

export interface ControllerRoute {
  method: string;
  path: string;
  controller: string;
  excludedFromDocs: boolean;
}

const join = (...parts: string[]): string =>
  `/${parts
    .flatMap((part) => part.split('/'))
    .filter(Boolean)
    .join('/')}`;

/** Every route the app's controllers declare, read from Nest's own metadata. */
export function controllerRoutes(app: INestApplication): ControllerRoute[] {
  const discovery = app.get(DiscoveryService);
  return discovery.getControllers().flatMap(({ metatype }) => {
    if (!metatype) return [];
    const base = (Reflect.getMetadata(PATH_METADATA, metatype) as string | undefined) ?? '';
    const excludedFromDocs = Boolean(Reflect.getMetadata('swagger/apiExcludeController', metatype));
    const prototype = metatype.prototype as Record<string, unknown>;
    return Object.getOwnPropertyNames(prototype).flatMap((name) => {
      const handler = prototype[name];
      if (typeof handler !== 'function' || name === 'constructor') return [];
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (path === undefined || method === undefined) return [];
      return [
        {
          method: RequestMethod[method].toLowerCase(),
          path: join(base, path),
          controller: metatype.name,
          excludedFromDocs,
        },
      ];
    });
  });
}

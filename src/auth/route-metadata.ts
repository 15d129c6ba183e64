import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

const reflector = new Reflector();

/**
 * A decorator's value for the route being handled (the handler's over its class's, as
 * `Reflector.getAllAndOverride`), read once per handler and class and then kept: decorators are
 * applied when the classes load, so the answer never changes. `getAllAndOverride` walks the
 * prototype chains of both on every call (docs/decisions/0117-guards-without-per-request-work.md).
 */
export function routeMetadata<T>(key: string): (context: ExecutionContext) => T | undefined {
  const known = new WeakMap<object, { controller: object; value: T | undefined }>();
  return (context) => {
    const handler = context.getHandler();
    const controller = context.getClass();
    const kept = known.get(handler);
    // A handler inherited by two controllers may be decorated differently on each class.
    if (kept?.controller === controller) return kept.value;
    const value = reflector.getAllAndOverride<T | undefined>(key, [handler, controller]);
    known.set(handler, { controller, value });
    return value;
  };
}

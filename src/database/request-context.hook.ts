import { type EntityManager, RequestContext } from '@mikro-orm/core';
import type { preHandlerHookHandler } from 'fastify';
import { AsyncLocalStorage } from 'node:async_hooks';

/** One request's entity manager, forked the first time the request uses the ORM. */
class ForkOnFirstUse {
  private fork?: EntityManager;
  private forking = false;

  constructor(private readonly root: EntityManager) {}

  entityManager(name: string): EntityManager | undefined {
    if (name !== this.root.name) return undefined;
    // Making the fork asks for the context again (its unit of work reads the root's factory):
    // the root answers for itself meanwhile, as it does outside any context.
    if (!this.fork && !this.forking) {
      this.forking = true;
      try {
        this.fork = this.root.fork({ useContext: true, disableContextResolution: true });
      } finally {
        this.forking = false;
      }
    }
    return this.fork;
  }
}

const requests = new AsyncLocalStorage<ForkOnFirstUse>();

/**
 * MikroORM's `context` option: a context opened with MikroORM's own `RequestContext` (jobs, CLI,
 * `@CreateRequestContext()`) first, as its default does; otherwise the request's fork.
 */
export const requestEntityManager = (name: string): EntityManager | undefined =>
  RequestContext.getEntityManager(name) ?? requests.getStore()?.entityManager(name);

/**
 * Gives every request its own ORM context (identity map, unit of work). The fork is made when the
 * request first touches the ORM, not up front: routes that never do (status, probes, metrics) and
 * reads that go straight to the connection (customers.repository.ts) skip its cost
 * (docs/decisions/0110-orm-context-forked-on-first-use.md).
 *
 * Opened in Fastify's `preHandler`, after the body has been parsed: a context opened earlier, as the
 * stock middleware does in `onRequest`, is lost on requests with a body (mikro-orm/nestjs#47,
 * fastify#3570). Guards, pipes, the handler and the error filter all run inside it.
 */
export function openOrmContext(root: EntityManager): preHandlerHookHandler {
  return (_request, _reply, done) => {
    requests.run(new ForkOnFirstUse(root), done);
  };
}

import type { FastifyRequest } from 'fastify';

/**
 * Routes that are public by contract (shared/CONTRACT.md) and owned by other slices (health,
 * metrics, docs): probes and scrapers never carry tokens, and must not be rate limited either.
 * Listed here by route pattern so those slices stay free of auth concerns; a new public route of
 * a domain uses @Public() instead.
 */
const INFRASTRUCTURE_ROUTES = new Set(['/', '/api/v1/status', '/metrics', '/docs', '/docs-json']);
const INFRASTRUCTURE_PREFIXES = ['/health/', '/docs/'];

/** Matched on the route pattern Fastify resolved, never on the raw URL (no `..` or `%2f` tricks). */
export function isInfrastructureRoute(request: FastifyRequest): boolean {
  const pattern = request.routeOptions.url;
  if (pattern === undefined) return false;
  return (
    INFRASTRUCTURE_ROUTES.has(pattern) ||
    INFRASTRUCTURE_PREFIXES.some((prefix) => pattern.startsWith(prefix))
  );
}

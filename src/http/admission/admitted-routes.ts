/** Routes under /api/ that never touch the database. */
const WITHOUT_DATABASE = new Set(['/api/v1/status']);

/**
 * Whether a route (its template) goes through admission control: the API's routes, which all use
 * the database, but not the status route. Probes (/health/*), /metrics, /docs and unmatched paths
 * (404) are never held or refused: an orchestrator must see the truth about an overloaded instance.
 */
export const usesDatabase = (route: string | undefined): boolean =>
  route !== undefined && route.startsWith('/api/') && !WITHOUT_DATABASE.has(route);

// The rows of the bench. A row is a route at a number of connections (plus, for the C10k row,
// idle connections held open); each server that serves the route runs it. To add a row, add a
// route here (and, if it needs a new client, a runner in lib/load/).
import { SETTINGS } from './settings.mjs';

export const ROUTES = {
  status: { path: '/api/v1/status', load: 'wrk' },
  // A random customer of the 1,000 sampled ids per request, with the admin token.
  customer: { path: '/api/v1/customers', load: 'wrk', ids: true, authorize: true },
  // POST with a body per request (bench/load/order-client.mjs); each server on its own products.
  order: { path: '/api/v1/orders', load: 'orders' },
};

const row = (kind, route, connections, idle = 0) => ({
  id: idle ? `${route}@${connections}+${idle}idle` : `${route}@${connections}`,
  name: idle ? `${route} @${connections} +${idle} idle` : `${route} @${connections}`,
  kind,
  route,
  connections,
  idle,
  repetitions:
    connections >= SETTINGS.repeatFrom
      ? SETTINGS.repeat
      : tracingRun() && connections === lowest(kind)
        ? SETTINGS.tracingRepeat
        : 1,
});

const tracingRun = () => SETTINGS.servers.some((key) => key.startsWith('keel-traced'));
const lowest = (kind) =>
  Math.min(...(kind === 'order' ? SETTINGS.orderConnections : SETTINGS.connections));

/** The rows BENCH_ROUTES asks for, in its order; `c10k` is the customer read beside idle connections. */
export function plannedRows() {
  return SETTINGS.routes.flatMap((kind) => {
    if (kind === 'c10k')
      return [row('c10k', 'customer', SETTINGS.idleLoadConnections, SETTINGS.idleConnections)];
    // The scale-out rows run on a topology of their own (lib/topology.mjs).
    if (kind === 'topology') return [];
    if (!ROUTES[kind]) throw new Error(`unknown route in BENCH_ROUTES: ${kind}`);
    const levels = kind === 'order' ? SETTINGS.orderConnections : SETTINGS.connections;
    return levels.map((connections) => row(kind, kind, connections));
  });
}

/** Connections a run must hold established all through its measured window to be valid. */
export const connectionsToHold = (r) => Math.ceil(SETTINGS.heldShare * (r.connections + r.idle));

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type IncomingMessage, type Server, createServer } from 'node:http';
import { closeHttpServer } from '../lifecycle/http-drain.js';
import { trackConnections } from '../lifecycle/open-connections.js';
import { MACHINE_ROUTES } from '../metrics/machine-routes.js';
import { problemForStatus } from './error-table.js';
import { describeListenFailure } from './listen-failure.js';
import { sendProblem } from './problem-reply.js';

/** How long a scrape or probe still in flight may take once the app has closed. */
const MANAGEMENT_CLOSE_MS = 2000;

/**
 * MANAGEMENT_PORT, as Spring Boot's `management.server.port`: when set, the machine routes
 * (`/metrics` and the probes `/health/*`, metrics/machine-routes.ts) are served on that port only,
 * and everything else on PORT only; each port answers the other's routes 404, as an unknown route
 * (issue 21, item 6: `/metrics` told anyone the Node version and live admission figures).
 * Unset: one port serves all, as before. Decision 0156.
 *
 * One Fastify instance serves both: the second server hands its requests to `fastify.routing`,
 * so they meet the same pipeline, logs and problem documents. It listens when Fastify is ready and
 * closes with it, after the HTTP drain: probes keep answering (readiness 503) while the app drains.
 */
export function installManagementPort(
  fastify: FastifyInstance,
  settings: { host: string; port: number | undefined },
): void {
  const { host, port } = settings;
  if (port === undefined) return;
  const onManagementPort = new WeakSet<IncomingMessage>();
  const server = createServer((request, response) => {
    onManagementPort.add(request);
    fastify.routing(request, response);
  });
  const connections = trackConnections(server);

  fastify.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    // The route matched, not the raw URL: `/%6Detrics` reaches the metrics route too.
    const machineRoute = MACHINE_ROUTES.test(request.routeOptions.url ?? '');
    if (machineRoute === onManagementPort.has(request.raw)) return;
    sendProblem(reply, problemForStatus(404), {
      requestId: request.id,
      method: request.method,
      url: request.url,
    });
    return reply;
  });
  fastify.addHook('onReady', () => listen(server, host, port));
  fastify.addHook('onClose', async () => {
    if (server.listening) {
      await closeHttpServer(server, Date.now() + MANAGEMENT_CLOSE_MS, connections);
    }
  });
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((listening, failed) => {
    server.once('error', (error) => {
      const described = describeListenFailure(error, host, port, 'MANAGEMENT_PORT');
      failed(described instanceof Error ? described : error);
    });
    server.listen({ host, port }, () => listening());
  });
}

import type { Server } from 'node:http';
import type { OpenConnections } from './open-connections.js';

/**
 * Stops accepting connections and waits for the requests in flight, without Fastify's 72 s
 * keep-alive wait (fastify#3617): idle keep-alive sockets, and sockets whose request headers are
 * still arriving, are closed at once; busy ones close after their response (which carries
 * `Connection: close`). Resolves `true` when all finished in time; on `deadline` the remaining
 * sockets are destroyed and it resolves `false`.
 */
export function closeHttpServer(
  server: Server,
  deadline: number,
  connections: OpenConnections,
): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(
      () => {
        server.closeAllConnections();
        resolve(false);
      },
      Math.max(0, deadline - Date.now()),
    );
    server.close(() => {
      clearTimeout(timer);
      resolve(true);
    });
    connections.closeWithoutRequest();
  });
}

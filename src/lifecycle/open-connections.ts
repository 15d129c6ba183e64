import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/** Node's HTTP server sets `_httpMessage` on a socket while a request on it is being answered. */
type ServerSocket = Socket & { _httpMessage?: unknown };

/** The connections a server holds open, tracked from the moment each is accepted. */
export interface OpenConnections {
  /**
   * Closes every connection with no request being answered: idle keep-alive ones, as Node's
   * `closeIdleConnections()` does, and those whose request's headers are still arriving, which
   * it keeps — a client that never ends its headers held the drain until Node's 60 s
   * `headersTimeout` or the shutdown's deadline (issue 21, item 1).
   */
  closeWithoutRequest(): void;
}

export function trackConnections(server: Server): OpenConnections {
  const open = new Set<ServerSocket>();
  server.on('connection', (socket: ServerSocket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return {
    closeWithoutRequest: () => {
      for (const socket of open) if (!socket._httpMessage) socket.destroy();
    },
  };
}

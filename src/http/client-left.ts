/**
 * Whether an error says the client closed its connection before its request had fully arrived.
 * Node destroys the request with `ECONNRESET` "aborted" (lib/_http_server.js, abortIncoming);
 * Fastify's body reader passes it on with a 400, and Nest wraps that in an HttpException whose
 * cause it is. The message tells it apart from a database socket's reset ("read ECONNRESET"),
 * which is an outage (database-unavailable.ts): a client that left is neither (issue 21, item 8).
 */
export function isClientLeft(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 3; depth++) {
    if ((current as { code?: unknown }).code === 'ECONNRESET' && current.message === 'aborted')
      return true;
    current = current.cause;
  }
  return false;
}

/**
 * The status logged and counted for a request whose client left: nginx's 499 "client closed
 * request". Nobody reads the answer; what matters is that it is neither a 4xx the client got
 * nor a 5xx that alerts count.
 */
export const CLIENT_CLOSED_REQUEST = 499;

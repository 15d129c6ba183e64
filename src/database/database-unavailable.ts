import { ConnectionException } from '@mikro-orm/core';
import { isPoolerRefusal } from './pooler-outage.js';

/** Socket-level failures: the server is down, restarting, or unreachable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);
/**
 * SQLSTATEs that mean "try again later": the connection-class failures (08000, 08001, 08003,
 * 08004, 08006, 08007), a server shutting down or starting (57P01-57P03), too many connections.
 * Not 08P01 "protocol violation": the server refused what we sent (e.g. a NUL in the query text),
 * so retrying changes nothing; it is a bug in Keel, not an outage — unless PgBouncer sent it
 * (pooler-outage.ts).
 */
const UNAVAILABLE_STATES = /^(0800[013467]|57P0[1-3]|53300)$/;
const LOST_CONNECTION =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;

/**
 * Whether an error means the database cannot be reached right now (503 + Retry-After) rather than
 * a bug (500). pg reports lost sockets as plain errors, which MikroORM passes on unconverted.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof ConnectionException) return true;
    const { code } = current as { code?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_STATES.test(code)))
      return true;
    if (LOST_CONNECTION.test(current.message) || isPoolerRefusal(code, current.message))
      return true;
    current = current.cause;
  }
  return false;
}

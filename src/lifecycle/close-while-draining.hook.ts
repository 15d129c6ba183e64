import type { onSendHookHandler } from 'fastify';
import type { ShutdownState } from './shutdown-state.js';

/**
 * While the server closes (graceful-shutdown.ts, step 3), requests in flight are answered with
 * `Connection: close`, so keep-alive clients reconnect elsewhere instead of to a closed socket.
 */
export function closeConnectionsWhileDraining(state: ShutdownState): onSendHookHandler {
  return (_request, reply, _payload, done) => {
    if (state.phase === 'closing-http') void reply.header('connection', 'close');
    done();
  };
}

import type { FastifyInstance } from 'fastify';
import { CONSISTENCY_TOKEN_HEADER, MalformedConsistencyToken } from './consistency-token.js';
import { type Lsn, formatLsn, parseLsn } from './lsn.js';
import { withReadRequirement } from './read-routing.js';
import type { ReplicaReads } from './replica-reads.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const HEADER = CONSISTENCY_TOKEN_HEADER.toLowerCase();

/** The request's Consistency-Token, 0n without one; throws when it is not one Keel issued. */
function tokenOf(header: string | string[] | undefined): Lsn {
  if (header === undefined) return 0n;
  const token = typeof header === 'string' ? parseLsn(header.trim()) : undefined;
  if (token === undefined) throw new MalformedConsistencyToken();
  return token;
}

/**
 * Session consistency (decision 0200). In `preHandler`: a malformed Consistency-Token is a 400
 * (with or without replicas, so a client's bug shows on one database too); with replicas, the
 * token and the account are what the request's reads must see (read-routing.ts). In `onSend`,
 * with replicas: every successful write answers with the primary's WAL position after its commit,
 * and this instance remembers it for the account's next reads.
 */
export function installConsistencyTokens(fastify: FastifyInstance, replicas: ReplicaReads): void {
  fastify.addHook('preHandler', (request, _reply, done) => {
    let token: Lsn;
    try {
      token = tokenOf(request.headers[HEADER]);
    } catch (error) {
      done(error as Error);
      return;
    }
    if (!replicas.enabled) {
      done();
      return;
    }
    withReadRequirement({ token, actor: () => request.actor }, done);
  });
  if (!replicas.enabled) return;
  fastify.addHook('onSend', async (request, reply, payload) => {
    const router = replicas.router;
    if (!router || READS.has(request.method) || reply.statusCode >= 400) return payload;
    // A primary that cannot say leaves the answer without a token: the write itself succeeded.
    const position = await replicas.primaryPosition().catch(() => undefined);
    if (position === undefined) return payload;
    void reply.header(CONSISTENCY_TOKEN_HEADER, formatLsn(position));
    const account = request.actor?.userId;
    if (account !== undefined) router.recentWrites.record(account, position);
    return payload;
  });
}

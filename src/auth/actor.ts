import type { Role } from './roles.js';

/**
 * Who is asking, as the services see it: no HTTP types, so a job or a test can build one too.
 * Taken from a verified access token by the authentication guard.
 */
export interface Actor {
  userId: string;
  role: Role;
  /** The customer record the user acts as; `null` for admins (and for a customer whose record was deleted). */
  customerId: string | null;
  /**
   * The sign-in session the token belongs to (its `sid`); absent for tokens issued before sessions
   * existed and for tokens Keel did not issue. Logout ends it; revocation checks it.
   */
  sessionId?: string;
  /** When the token was issued, in seconds (`iat`): account-wide sign-outs refuse older ones. */
  issuedAt?: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by AuthenticationGuard on every non-public route. */
    actor?: Actor;
  }
}

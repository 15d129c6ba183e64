import type { Middleware } from 'openapi-fetch';

/** The header a write answers with and a read may send back (read replicas; decision 0220). */
export const CONSISTENCY_TOKEN = 'Consistency-Token';

/**
 * Remembers the last `Consistency-Token` Keel answered and sends it on every later request, so that
 * a read routed to a replica sees this client's own writes. Tokens are opaque: the latest answer
 * wins. A token set on a request by the caller is left alone.
 */
export class ConsistencyTokens {
  #token: string | undefined;

  constructor(initial?: string) {
    this.#token = initial;
  }

  /** The token to carry elsewhere (another client, a session), if Keel has sent one. */
  get current(): string | undefined {
    return this.#token;
  }

  readonly middleware: Middleware = {
    onRequest: ({ request }) => {
      if (this.#token !== undefined && !request.headers.has(CONSISTENCY_TOKEN)) {
        request.headers.set(CONSISTENCY_TOKEN, this.#token);
      }
      return request;
    },
    onResponse: ({ response }) => {
      const token = response.headers.get(CONSISTENCY_TOKEN);
      if (token) this.#token = token;
    },
  };
}

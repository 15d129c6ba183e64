import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import { ConsistencyTokens } from './consistency-token.js';
import { problemsAsErrors } from './problem.js';
import type { paths } from './schema.js';

export type { components, operations, paths } from './schema.js';
export { CONSISTENCY_TOKEN, ConsistencyTokens } from './consistency-token.js';
export { KeelProblem, type ProblemDocument } from './problem.js';

export interface KeelClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** Where Keel serves, e.g. `https://keel.example.com` (the paths start with /api/v1). */
  baseUrl: string;
  /** Called before each request: the access token to send as `Authorization: Bearer`, if any. */
  accessToken?: () => string | undefined;
  /** A token carried over from elsewhere (another client, a saved session). */
  consistencyToken?: string;
}

export interface KeelClient extends Client<paths> {
  /** The remembered `Consistency-Token`, sent back on every request (read-your-writes). */
  readonly consistency: ConsistencyTokens;
}

/**
 * A typed client for Keel: openapi-fetch over the generated `paths`, where a problem answer is
 * thrown as a KeelProblem and the `Consistency-Token` of a write is sent back on later requests.
 */
export function createKeelClient({
  accessToken,
  consistencyToken,
  ...options
}: KeelClientOptions): KeelClient {
  const client = createClient<paths>(options);
  const consistency = new ConsistencyTokens(consistencyToken);
  client.use(consistency.middleware, problemsAsErrors);
  if (accessToken) {
    client.use({
      onRequest: ({ request }) => {
        const token = accessToken();
        if (token && !request.headers.has('authorization')) {
          request.headers.set('authorization', `Bearer ${token}`);
        }
        return request;
      },
    });
  }
  return Object.assign(client, { consistency });
}

/** The data of an answer's success branch (openapi-fetch types the problem branch `data?: never`). */
export type DataOf<Result> = Result extends { data: infer Data } ? Data : never;

/**
 * The data of a successful answer. A problem answer never reaches here: the client throws it as a
 * KeelProblem. `const order = await ok(keel.GET('/api/v1/orders/{id}', { params }))`.
 */
export async function ok<Result extends { data?: unknown; response: Response }>(
  pending: Promise<Result>,
): Promise<DataOf<Result>> {
  const { data, response } = await pending;
  if (data === undefined && response.status !== 204) {
    throw new Error(`${response.status} answered without a body`);
  }
  return data as DataOf<Result>;
}

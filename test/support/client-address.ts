import { request as httpRequest } from 'node:http';
import { checkAgainstContract } from './contract.js';
import type { Reply } from './test-app.js';

export type RequestFrom = <T = Record<string, unknown>>(
  method: string,
  path: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<Reply<T>>;

/**
 * Requests to `baseUrl` whose socket is bound to `localAddress` (any of 127.0.0.0/8 on Linux), so
 * the app sees another client IP: per-address behaviour becomes testable on one machine.
 * `fetch` cannot choose its source address without undici's Agent, hence node:http.
 */
export function clientAt(baseUrl: string, localAddress: string): RequestFrom {
  return <T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    new Promise<Reply<T>>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const outgoing = httpRequest(
        new URL(path, baseUrl),
        {
          method,
          localAddress,
          headers:
            payload === undefined ? headers : { 'content-type': 'application/json', ...headers },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => {
            const received = new Headers();
            for (const [name, value] of Object.entries(response.headers)) {
              for (const one of [value ?? []].flat()) received.append(name, one);
            }
            const isJson = /json/.test(received.get('content-type') ?? '') && text !== '';
            const reply = {
              status: response.statusCode ?? 0,
              headers: received,
              body: (isJson ? JSON.parse(text) : text) as T,
              text,
            };
            try {
              checkAgainstContract(method, path, reply);
              resolve(reply);
            } catch (violation) {
              reject(violation instanceof Error ? violation : new Error(String(violation)));
            }
          });
        },
      );
      outgoing.on('error', reject);
      outgoing.end(payload);
    });
}

import helmet from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Helmet's default security headers, computed once: the set for HTML pages (Swagger UI at /docs).
 * `@fastify/helmet` runs Helmet's middleware for every request (rebuilding the same headers each
 * time, ~9 % of a cheap request in bench/README.md); the headers do not depend on the request, so
 * Keel sets this precomputed set instead.
 */
export function browserSecurityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  helmet()({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return headers;
}

/**
 * The set a JSON or problem+json answer needs (OWASP REST Security Cheat Sheet,
 * docs/decisions/0116-api-security-headers.md): nothing may be framed, loaded or sniffed from it,
 * HTTPS only, no Referer. Helmet's other headers (COOP, CORP, Origin-Agent-Cluster, DNS prefetch,
 * download options, the full CSP, ...) tell a browser how to treat a page; on the API they were
 * ~450 bytes written on every answer.
 */
export function apiSecurityHeaders(): Record<string, string> {
  return {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    // Helmet's value, so it follows Helmet's upgrades as the page set does.
    'strict-transport-security': browserSecurityHeaders()['strict-transport-security'],
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  };
}

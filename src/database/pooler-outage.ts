/**
 * PgBouncer's own refusals: it reports them all as SQLSTATE 08P01 "protocol violation" (its
 * `send_pooler_error`), the code that otherwise means Keel sent something PostgreSQL refused. These
 * messages mean "no server connection now" — the pool waited past `query_wait_timeout`, the server
 * refuses logins, the database is paused or disabled, the pooler is full or shutting down — which
 * is an outage (503 + Retry-After), not a bug. Messages as PgBouncer 1.18 words them
 * (docs/decisions/0181-a-pooler-that-refuses-is-an-outage.md).
 */
const POOLER_REFUSALS = new RegExp(
  [
    'query_wait_timeout',
    'client_login_timeout',
    'server login has been failing',
    'pgbouncer cannot connect to server',
    'no more connections allowed',
    'database ".*" is disabled',
    'server conn crashed',
    'SHUTDOWN command issued',
    'pooler is shutting down',
  ].join('|'),
);

export function isPoolerRefusal(code: unknown, message: string): boolean {
  return code === '08P01' && POOLER_REFUSALS.test(message);
}

import { isDatabaseUnavailable } from './database-unavailable.js';
import { isPoolerRefusal } from './pooler-outage.js';

const pgError = (code: string, message: string): Error =>
  Object.assign(new Error(message), { code });

describe("PgBouncer's refusals", () => {
  it.each([
    'query_wait_timeout',
    'server login has been failing, try again later (server_login_retry)',
    'client_login_timeout (server down)',
    'database "keel" is disabled',
    'no more connections allowed (max_client_conn)',
  ])('08P01 "%s" is an outage (503)', (message) => {
    expect(isPoolerRefusal('08P01', message)).toBe(true);
    expect(isDatabaseUnavailable(pgError('08P01', message))).toBe(true);
  });

  it('any other 08P01 stays a bug (500): PostgreSQL refused what Keel sent', () => {
    const nul = 'invalid message format';
    expect(isPoolerRefusal('08P01', nul)).toBe(false);
    expect(isDatabaseUnavailable(pgError('08P01', nul))).toBe(false);
  });

  it('the same words under another SQLSTATE are not a pooler refusal', () => {
    expect(isPoolerRefusal('42601', 'query_wait_timeout')).toBe(false);
  });
});

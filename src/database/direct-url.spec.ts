import { behindTransactionPooler, directDatabaseUrl } from './direct-url.js';

describe('the direct URL', () => {
  const pooled = 'postgres://keel@pgbouncer:6432/keel';
  const direct = 'postgres://keel@primary:5432/keel';

  it('is DATABASE_DIRECT_URL when set, DATABASE_URL otherwise', () => {
    expect(directDatabaseUrl({ DATABASE_URL: pooled, DATABASE_DIRECT_URL: direct })).toBe(direct);
    expect(directDatabaseUrl({ DATABASE_URL: direct })).toBe(direct);
  });

  it('means DATABASE_URL goes through a transaction pooler only when it names another URL', () => {
    expect(behindTransactionPooler({ DATABASE_URL: pooled, DATABASE_DIRECT_URL: direct })).toBe(
      true,
    );
    expect(behindTransactionPooler({ DATABASE_URL: direct, DATABASE_DIRECT_URL: direct })).toBe(
      false,
    );
    expect(behindTransactionPooler({ DATABASE_URL: direct })).toBe(false);
  });
});

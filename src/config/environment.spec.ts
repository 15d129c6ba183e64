import { InvalidEnvironment, validateEnvironment } from './environment.js';

describe('validateEnvironment', () => {
  it('applies the documented defaults', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      HOST: '0.0.0.0',
      PORT: 3000,
      DB_POOL_MAX: 20,
      LOG_LEVEL: 'info',
      PRETTY_JSON: false,
      BODY_LIMIT: 1_048_576,
      ORDER_CONFIRM_DELAY_MS: 2000,
      ORDER_EXPIRY_MS: 900_000,
      JOB_WORKERS: true,
    });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('converts numbers and booleans from strings', () => {
    const env = validateEnvironment({ PORT: '8080', DB_POOL_MAX: '5', PRETTY_JSON: 'true' });
    expect(env).toMatchObject({ PORT: 8080, DB_POOL_MAX: 5, PRETTY_JSON: true });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DB_POOL_MAX', '0'],
    ['LOG_LEVEL', 'loud'],
    ['NODE_ENV', 'staging'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['PRETTY_JSON', 'maybe'],
    ['ORDER_CONFIRM_DELAY_MS', '-1'],
    ['ORDER_EXPIRY_MS', '10'],
    ['JOB_WORKERS', 'sometimes'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    const attempt = (): unknown => validateEnvironment({ [name]: value });
    expect(attempt).toThrow(InvalidEnvironment);
    expect(attempt).toThrow(new RegExp(name));
  });

  it('requires DATABASE_URL in production', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow(/DATABASE_URL/);
    expect(
      validateEnvironment({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/keel' })
        .DATABASE_URL,
    ).toBe('postgres://db/keel');
  });

  it('never pretty-prints JSON in production', () => {
    const env = validateEnvironment({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/keel',
      PRETTY_JSON: 'true',
    });
    expect(env.PRETTY_JSON).toBe(false);
  });

  it('treats an empty variable as unset', () => {
    expect(validateEnvironment({ PORT: '', DATABASE_URL: '' })).toMatchObject({
      PORT: 3000,
      DATABASE_URL: undefined,
    });
  });
});

import {
  DEVELOPMENT_ADMIN,
  DEVELOPMENT_JWT_SECRET,
  InvalidEnvironment,
  validateEnvironment,
} from './environment.js';

const PRODUCTION_SECRET = { NODE_ENV: 'production', JWT_SECRET: 's'.repeat(32) };

describe('validateEnvironment', () => {
  it('applies the documented defaults', () => {
    const env = validateEnvironment({});
    expect(env).toMatchObject({
      NODE_ENV: 'development',
      HOST: '0.0.0.0',
      PORT: 3000,
      LISTEN_BACKLOG: 16_384,
      DB_POOL_MAX: 20,
      ADMISSION_MAX_WAIT_MS: 3000,
      LOG_LEVEL: 'info',
      PRETTY_JSON: false,
      BODY_LIMIT: 1_048_576,
      JWT_EXPIRES_IN: 600,
      AUTH_RATE_LIMIT_PER_MINUTE: 5,
      RATE_LIMIT_PER_MINUTE: 0,
      CORS_ORIGINS: [],
      JOB_WORKERS: true,
    });
    expect(env.DATABASE_URL).toBeUndefined();
    // Unset: as many as the pool has connections (create-app.ts).
    expect(env.ADMISSION_CONCURRENCY).toBeUndefined();
  });

  it('converts numbers and booleans from strings', () => {
    const env = validateEnvironment({ PORT: '8080', DB_POOL_MAX: '5', PRETTY_JSON: 'true' });
    expect(env).toMatchObject({ PORT: 8080, DB_POOL_MAX: 5, PRETTY_JSON: true });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['LISTEN_BACKLOG', '0'],
    ['LISTEN_BACKLOG', '65536'],
    ['LISTEN_BACKLOG', 'many'],
    ['DB_POOL_MAX', '0'],
    ['ADMISSION_CONCURRENCY', '0'],
    ['ADMISSION_CONCURRENCY', 'all'],
    ['ADMISSION_MAX_WAIT_MS', '0'],
    ['ADMISSION_MAX_WAIT_MS', '3s'],
    ['LOG_LEVEL', 'loud'],
    ['NODE_ENV', 'staging'],
    ['DATABASE_URL', 'mysql://localhost/db'],
    ['PRETTY_JSON', 'maybe'],
    ['JWT_SECRET', 'too-short'],
    ['JWT_EXPIRES_IN', '15 minutes'],
    ['JWT_EXPIRES_IN', '0'],
    ['ADMIN_EMAIL', 'not-an-email'],
    ['ADMIN_PASSWORD', 'short'],
    ['AUTH_RATE_LIMIT_PER_MINUTE', '0'],
    ['RATE_LIMIT_PER_MINUTE', '-1'],
    ['CORS_ORIGINS', 'https://ok.example.com,not an origin'],
    ['JOB_WORKERS', 'sometimes'],
    ['OTEL_SDK_DISABLED', 'perhaps'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'ftp://collector/v1/traces'],
    ['OTEL_EXPORTER_OTLP_PROTOCOL', 'http/xml'],
    ['OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', 'thrift'],
    ['OTEL_TRACES_EXPORTER', 'otlp,jaeger'],
    ['OTEL_METRICS_EXPORTER', 'otlp,statsd'],
    ['OTEL_LOGS_EXPORTER', 'loki'],
    ['OTEL_TRACES_SAMPLER', 'sometimes'],
    ['OTEL_TRACES_SAMPLER_ARG', '1.5'],
    ['OTEL_TRACES_SAMPLER_ARG', 'half'],
    ['DATABASE_DIRECT_URL', 'mysql://db/keel'],
    ['MANAGEMENT_PORT', '70000'],
    ['MANAGEMENT_PORT', '3000'],
    ['DATABASE_READ_URLS', 'mysql://replica/keel'],
    ['DATABASE_READ_URLS', 'postgres://replica-1/keel,replica-2'],
    ['REPLICA_MAX_LAG_MS', '50'],
    ['REPLICA_MAX_LAG_MS', '1s'],
  ])('refuses %s=%s with a message naming the variable', (name, value) => {
    const attempt = (): unknown => validateEnvironment({ [name]: value });
    expect(attempt).toThrow(InvalidEnvironment);
    expect(attempt).toThrow(new RegExp(name));
  });

  it('accepts the standard OTEL_* tracing variables', () => {
    const env = validateEnvironment({
      OTEL_SERVICE_NAME: 'keel-eu',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_TRACES_EXPORTER: 'otlp, console',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'otlp',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_SDK_DISABLED: 'false',
    });
    expect(env).toMatchObject({
      OTEL_TRACES_EXPORTER: ['otlp', 'console'],
      OTEL_METRICS_EXPORTER: ['none'],
      OTEL_LOGS_EXPORTER: ['otlp'],
      OTEL_TRACES_SAMPLER_ARG: 0.25,
      OTEL_SDK_DISABLED: false,
    });
  });

  it('requires DATABASE_URL in production', () => {
    expect(() => validateEnvironment({ NODE_ENV: 'production' })).toThrow(/DATABASE_URL/);
    expect(
      validateEnvironment({ ...PRODUCTION_SECRET, DATABASE_URL: 'postgres://db/keel' })
        .DATABASE_URL,
    ).toBe('postgres://db/keel');
  });

  it('never pretty-prints JSON in production', () => {
    const env = validateEnvironment({
      ...PRODUCTION_SECRET,
      DATABASE_URL: 'postgres://db/keel',
      PRETTY_JSON: 'true',
    });
    expect(env.PRETTY_JSON).toBe(false);
  });

  it('drains for 5 s after SIGTERM in production only, unless SHUTDOWN_DRAIN_DELAY_MS says otherwise', () => {
    const production = { ...PRODUCTION_SECRET, DATABASE_URL: 'postgres://db/keel' };
    expect(validateEnvironment(production).SHUTDOWN_DRAIN_DELAY_MS).toBe(5000);
    expect(validateEnvironment({}).SHUTDOWN_DRAIN_DELAY_MS).toBe(0);
    expect(validateEnvironment({ NODE_ENV: 'test' }).SHUTDOWN_DRAIN_DELAY_MS).toBe(0);
    expect(validateEnvironment({ SHUTDOWN_DRAIN_DELAY_MS: '3000' }).SHUTDOWN_DRAIN_DELAY_MS).toBe(
      3000,
    );
    expect(
      validateEnvironment({ ...production, SHUTDOWN_DRAIN_DELAY_MS: '0' }).SHUTDOWN_DRAIN_DELAY_MS,
    ).toBe(0);
  });

  it('treats an empty variable as unset', () => {
    expect(validateEnvironment({ PORT: '', DATABASE_URL: '' })).toMatchObject({
      PORT: 3000,
      DATABASE_URL: undefined,
    });
  });

  it('requires a JWT_SECRET of at least 32 characters in production', () => {
    const production = { NODE_ENV: 'production', DATABASE_URL: 'postgres://db/keel' };
    expect(() => validateEnvironment(production)).toThrow(/JWT_SECRET/);
    expect(() => validateEnvironment({ ...production, JWT_SECRET: 'x'.repeat(31) })).toThrow(
      /JWT_SECRET/,
    );
    expect(validateEnvironment({ ...production, JWT_SECRET: 'x'.repeat(32) }).JWT_SECRET).toBe(
      'x'.repeat(32),
    );
  });

  it('uses a development JWT secret and admin only outside production', () => {
    expect(validateEnvironment({})).toMatchObject({
      JWT_SECRET: DEVELOPMENT_JWT_SECRET,
      ADMIN_EMAIL: DEVELOPMENT_ADMIN.email,
      ADMIN_PASSWORD: DEVELOPMENT_ADMIN.password,
    });
    const test = validateEnvironment({ NODE_ENV: 'test' });
    expect(test.ADMIN_EMAIL).toBeUndefined();
    expect(test.ADMIN_PASSWORD).toBeUndefined();
  });

  it('needs ADMIN_EMAIL and ADMIN_PASSWORD together', () => {
    expect(() =>
      validateEnvironment({ NODE_ENV: 'test', ADMIN_EMAIL: 'root@example.com' }),
    ).toThrow(/ADMIN_PASSWORD/);
    expect(() =>
      validateEnvironment({ NODE_ENV: 'test', ADMIN_PASSWORD: 'long-enough-password' }),
    ).toThrow(/ADMIN_EMAIL/);
  });

  it('reads JWT_EXPIRES_IN as seconds or with a unit', () => {
    expect(validateEnvironment({ JWT_EXPIRES_IN: '120' }).JWT_EXPIRES_IN).toBe(120);
    expect(validateEnvironment({ JWT_EXPIRES_IN: '15m' }).JWT_EXPIRES_IN).toBe(900);
    expect(validateEnvironment({ JWT_EXPIRES_IN: '2h' }).JWT_EXPIRES_IN).toBe(7200);
  });

  it('reads CORS_ORIGINS as a comma-separated list', () => {
    expect(
      validateEnvironment({ CORS_ORIGINS: 'https://a.example.com, http://localhost:5173' })
        .CORS_ORIGINS,
    ).toEqual(['https://a.example.com', 'http://localhost:5173']);
  });

  it('reads MANAGEMENT_PORT and DATABASE_DIRECT_URL, both unset by default', () => {
    expect(validateEnvironment({})).toMatchObject({
      MANAGEMENT_PORT: undefined,
      DATABASE_DIRECT_URL: undefined,
    });
    expect(
      validateEnvironment({
        MANAGEMENT_PORT: '8081',
        DATABASE_DIRECT_URL: 'postgres://keel@primary/keel',
      }),
    ).toMatchObject({ MANAGEMENT_PORT: 8081, DATABASE_DIRECT_URL: 'postgres://keel@primary/keel' });
  });
});

describe('read replicas', () => {
  it('reads DATABASE_READ_URLS as a list, and REPLICA_MAX_LAG_MS with its default of 1000', () => {
    expect(validateEnvironment({})).toMatchObject({
      DATABASE_READ_URLS: undefined,
      REPLICA_MAX_LAG_MS: 1000,
    });
    expect(
      validateEnvironment({
        DATABASE_URL: 'postgres://keel@primary/keel',
        DATABASE_READ_URLS: 'postgres://keel@replica-1/keel, postgresql://keel@replica-2:6432/keel',
        REPLICA_MAX_LAG_MS: '2500',
      }),
    ).toMatchObject({
      DATABASE_READ_URLS: [
        'postgres://keel@replica-1/keel',
        'postgresql://keel@replica-2:6432/keel',
      ],
      REPLICA_MAX_LAG_MS: 2500,
    });
  });

  it('refuses replicas without DATABASE_URL: the embedded database has none', () => {
    expect(() => validateEnvironment({ DATABASE_READ_URLS: 'postgres://replica/keel' })).toThrow(
      /DATABASE_READ_URLS needs DATABASE_URL/,
    );
  });
});

describe('JOB_RETENTION', () => {
  it('keeps finished jobs a day by default, or as long as given in seconds or with a unit', () => {
    expect(validateEnvironment({}).JOB_RETENTION).toBe(86_400);
    expect(validateEnvironment({ JOB_RETENTION: '7d' }).JOB_RETENTION).toBe(604_800);
    expect(validateEnvironment({ JOB_RETENTION: '3600' }).JOB_RETENTION).toBe(3600);
  });

  it.each(['0', '30s', 'a week', '400d'])('refuses JOB_RETENTION=%s', (value) => {
    expect(() => validateEnvironment({ JOB_RETENTION: value })).toThrow(/JOB_RETENTION/);
  });

  it('needs no JWT_SECRET or admin in OIDC mode, and drops a built-in admin it was given', () => {
    const oidc = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/keel',
      OIDC_ISSUER: 'https://id.example.com/realms/keel',
      OIDC_AUDIENCE: 'keel-api',
    };
    expect(validateEnvironment(oidc)).toMatchObject({
      OIDC_ROLES_CLAIM: 'roles',
      OIDC_JWKS_COOLDOWN_MS: 30_000,
      OIDC_JWKS_CACHE_MAX_AGE_MS: 600_000,
      TOKEN_CLOCK_SKEW_SECONDS: 10,
    });
    const withBuiltIn = {
      ...oidc,
      ADMIN_EMAIL: 'root@example.com',
      ADMIN_PASSWORD: 'long-enough-pw',
    };
    expect(validateEnvironment(withBuiltIn).ADMIN_EMAIL).toBeUndefined();
    expect(() => validateEnvironment({ OIDC_ISSUER: oidc.OIDC_ISSUER })).toThrow(/OIDC_AUDIENCE/);
    expect(() => validateEnvironment({ ...oidc, OIDC_ROLE_MAP: 'a=b' })).toThrow(/OIDC_ROLE_MAP/);
  });
});

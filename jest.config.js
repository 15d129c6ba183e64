/**
 * ESM TypeScript under Jest: SWC compiles each file (with the legacy decorators and their metadata
 * that Nest's DI needs), and `./x.js` imports are mapped back to their `.ts` sources.
 */
// The app under test logs nothing unless asked: LOG_LEVEL=debug npm test.
process.env.LOG_LEVEL ??= 'silent';
// In-process apps close at once; the shutdown suite sets its own delays on the processes it spawns.
process.env.SHUTDOWN_DRAIN_DELAY_MS ??= '0';
// The apps under test sign tokens with a test secret and create this admin at start (AdminBootstrap);
// suites authenticate as it or as customers they register.
process.env.JWT_SECRET ??= 'keel-test-secret-that-is-at-least-32-characters';
process.env.ADMIN_EMAIL ??= 'admin@test.keel.dev';
process.env.ADMIN_PASSWORD ??= 'test-admin-password';
// Suites share one database, so one rate-limit counter per client IP: only the rate-limit suite
// runs with the real default (it lowers this before starting its app).
process.env.AUTH_RATE_LIMIT_PER_MINUTE ??= '10000';
process.env.CORS_ORIGINS ??= 'https://app.example.com';
// Suites hold row locks for longer than the default 5 s statement bound (an order's duplicate
// waiting its full 5 s on the key, the shutdown drain's slow request): the bound is proven by its
// own suite (test/statement-timeout.e2e-spec.ts), on a database of its own.
process.env.DB_STATEMENT_TIMEOUT_MS ??= '20000';
// Job workers only run in the suites that test them (they set JOB_WORKERS=true): an app started by
// another suite on the same database would otherwise take their jobs. Orders placed by the other
// suites confirm only after an hour, so their jobs are not yet due while the job suites run.
process.env.JOB_WORKERS ??= 'false';
process.env.ORDER_CONFIRM_DELAY_MS ??= '3600000';

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      target: 'es2023',
      keepClassNames: true,
    },
    module: { type: 'es6' },
    sourceMaps: 'inline',
  },
];

const common = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  setupFiles: ['<rootDir>/test/support/preload-nest.ts'],
};

export default {
  // A global option (Jest ignores it per project): e2e hooks start real apps and databases.
  testTimeout: 30_000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/client/src/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
    },
  ],
};

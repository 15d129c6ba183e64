/**
 * Imported first by the in-process job suite: the config module reads the environment when it is
 * imported, so job settings must be in place before any app module loads. Orders confirm after 1.5 s
 * and expire after 3 s; both are stamped on the jobs when the order is placed. The suite runs on a
 * database of its own (global-setup.mjs): its workers and expiry sweep never touch another suite's
 * orders or jobs.
 */
process.env.JOB_WORKERS = 'true';
process.env.ORDER_CONFIRM_DELAY_MS = '1500';
process.env.ORDER_EXPIRY_MS = '3000';
process.env.DATABASE_URL = process.env.KEEL_TEST_JOBS_DATABASE_URL ?? process.env.DATABASE_URL;
// Through a pooler (.ci/run's PgBouncer pass), the same database without it.
if (process.env.KEEL_TEST_JOBS_DATABASE_DIRECT_URL)
  process.env.DATABASE_DIRECT_URL = process.env.KEEL_TEST_JOBS_DATABASE_DIRECT_URL;

export {};

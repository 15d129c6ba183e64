// What `npm run rehearse:scale` runs with. The instances' side and the server's side of the
// connection budget are the point (docs/operations.md#sizing): 8 instances × (DB_POOL_MAX 20 +
// pg-boss 4) = 192 client connections to PgBouncer, on a primary that admits 40.
import { SETTINGS } from './settings.mjs';

export const SCALE_SETTINGS = {
  ...SETTINGS,
  instances: 8,
  dbPoolMax: 20,
  primary: {
    max_connections: 40,
    // A scratch server: durability is not what is rehearsed, and the machine is shared. Not
    // synchronous_commit = off: a commit then returns before its WAL is written, and
    // pg_current_wal_lsn() (the write position, which the Consistency-Token is) can be short of it.
    fsync: 'off',
    full_page_writes: 'off',
    shared_buffers: "'64MB'",
    max_wal_senders: 4,
    wal_level: 'replica',
    hot_standby: 'on',
    log_min_messages: 'warning',
  },
  replica: {
    // A standby must admit at least the primary's max_connections.
    max_connections: 40,
    recovery_min_apply_delay: "'500ms'",
    hot_standby: 'on',
    // The replica is stopped and started during the load; its server connections come back.
    fsync: 'off',
  },
  // PgBouncer's server connections, per pooled database. The primary's 40 less the superuser
  // reserve (3) holds: this pool (20) + a revocation listener per instance on DATABASE_DIRECT_URL
  // (8, 10 while a rollout overlaps a start with a drain) + the rehearsal's own check client (1),
  // and the migration's 3 before any instance starts: 20 + 10 + 1 = 31 ≤ 37.
  primaryPoolSize: 20,
  replicaPoolSize: 20,
  // A pooled database whose server does not answer: clients wait this long, then get an error.
  queryWaitTimeoutSeconds: 5,
  replicaStopMs: 10_000,
  // Kubernetes' default maxSurge (25 %) for 8 replicas: two new pods at a time, each pair ready
  // before two old ones get SIGTERM (maxUnavailable 0). Four steps instead of eight: on the shared
  // 2-core machine an instance start is most of a step.
  rollout: { surge: 2 },
  load: {
    ...SETTINGS.load,
    // A start of two instances keeps the shared machine's cores busy: answers slow down, and a
    // slow answer is not a failed one.
    requestTimeoutMs: 30_000,
    clients: 8,
    requestsPerSecond: 50,
    mix: { order: 0.3, replay: 0.1, readOrder: 0.2, listProducts: 0.3, status: 0.1 },
  },
  writeThenRead: { clients: 3, pairsPerSecond: 5 },
  readers: { clients: 3, requestsPerSecond: 20 },
  warmupMs: 3000,
  settleMs: 500,
  tailMs: 3000,
  drainDelayMs: 2500,
  shutdownTimeoutMs: 15_000,
  startTimeoutMs: 600_000,
  jobsTimeoutMs: 30_000,
  // Instance starts are most of a run: 80–180 s each when six other test runs share the 2-core
  // machine (a load average of 30), a few seconds on a quiet one. Bounds for the former.
  runTimeoutMs: 2_400_000,
};

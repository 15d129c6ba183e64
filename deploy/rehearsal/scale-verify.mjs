// What `npm run rehearse:scale` checks beside the rolling rehearsal's own checks (verify.mjs):
// session consistency, reads served by the replica by its own statistics, the connection budget,
// and the exits of every process it started. Each check is { name, ok, detail }.
import pg from 'pg';

/**
 * Table reads the replica itself counted (sequential + index scans of Keel's tables): its
 * statistics, not Keel's word. A restart may reset them, so the caller samples around the outage.
 */
export async function replicaReads(replica, database) {
  const client = new pg.Client({ connectionString: replica.url(database) });
  await client.connect();
  try {
    for (let attempt = 1; ; attempt += 1) {
      try {
        const { rows } = await client.query(
          `select coalesce(sum(seq_scan + coalesce(idx_scan, 0)), 0)::bigint as scans
             from pg_stat_user_tables where schemaname = 'public'`,
        );
        return Number(rows[0].scans);
      } catch (error) {
        // A hot standby cancels a query whose snapshot the replayed WAL conflicts with (40001,
        // "conflict with recovery"; CI, 2026-12-07 21:43): a read to repeat, not a failed check.
        if (error.code !== '40001' || attempt === 5) throw error;
        await new Promise((retry) => setTimeout(retry, 200 * attempt));
      }
    }
  } finally {
    await client.end();
  }
}

/** The replica served reads before it was stopped and again after it came back. */
export function replicaServedCheck({ before, beforeStop, afterStart, end }) {
  const beforeOutage = beforeStop - before;
  // Statistics survive a fast shutdown (written at shutdown); if they were reset, count from 0.
  const afterOutage = end - (afterStart >= beforeStop ? afterStart : 0);
  return {
    name: 'replica served reads',
    ok: beforeOutage > 0 && afterOutage > 0,
    detail: `${beforeOutage} table scans on the replica before its outage, ${afterOutage} after it came back (pg_stat_user_tables on the replica)`,
  };
}

/** Every write-then-read pair read its own write, on whichever instance answered. */
export function consistencyCheck(pairs) {
  const unseen = pairs.failures.filter((failure) => !failure.kind.endsWith('write'));
  return {
    name: 'write then read',
    ok: pairs.pairs > 0 && unseen.length === 0,
    detail:
      `${pairs.pairs} pairs read their write back by id and by search (${pairs.readElsewhere} on another instance than ` +
      `the write, ${pairs.withToken} with a Consistency-Token); ${unseen.length} did not` +
      (unseen.length > 0 ? `: ${JSON.stringify(unseen[0])}` : ''),
  };
}

/**
 * No connection was refused anywhere: no client saw a socket error, PostgreSQL never said "too many
 * clients", PgBouncer never ran out of client slots; the primary's peak stays within its 40.
 */
export function connectionsCheck({
  connections,
  maxConnections,
  primary,
  replica,
  pooler,
  failures,
}) {
  const socketErrors = failures.filter((failure) => failure.error !== undefined);
  const tooMany = [primary, replica].map(
    (server) => (server.log().match(/too many clients|remaining connection slots/g) ?? []).length,
  );
  const poolerRefusals = (pooler.output.match(/no more connections allowed/g) ?? []).length;
  const ok =
    socketErrors.length === 0 &&
    tooMany.every((count) => count === 0) &&
    poolerRefusals === 0 &&
    connections.peak <= maxConnections;
  return {
    name: 'connections',
    ok,
    detail:
      `${socketErrors.length} client connection errors, "too many clients" ${tooMany[0]} on the primary / ` +
      `${tooMany[1]} on the replica, ${poolerRefusals} refused by pgbouncer; ` +
      `peak ${connections.peak} client backends on the primary (max_connections ${maxConnections})`,
  };
}

/** Every instance, HAProxy and PgBouncer exited 0; every pg_ctl stop succeeded. */
export function processExitsCheck({ instances, haproxyExit, poolerExit, primary, replica }) {
  const show = (exit) => exit?.code ?? exit?.signal ?? 'running';
  const stops = [primary, replica].flatMap((server) =>
    server.stops.map((stop) => ({ name: `${server.name} (${stop.mode})`, code: stop.code })),
  );
  const ok =
    instances.every((instance) => instance.exit?.code === 0) &&
    haproxyExit?.code === 0 &&
    poolerExit?.code === 0 &&
    stops.length >= 3 &&
    stops.every((stop) => stop.code === 0);
  return {
    name: 'exit codes',
    ok,
    detail:
      `${instances.map((instance) => `${instance.name} ${show(instance.exit)}`).join(', ')}, ` +
      `haproxy ${show(haproxyExit)}, pgbouncer ${show(poolerExit)}, ` +
      stops.map((stop) => `${stop.name} ${stop.code}`).join(', ') +
      (ok
        ? ''
        : ` — ${instances
            .filter((instance) => instance.exit?.code !== 0)
            .map((instance) => `${instance.name}:${instance.tail(5)}`)
            .join(' | ')}`),
  };
}

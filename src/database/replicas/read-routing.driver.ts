import type {
  AnyEntity,
  Configuration,
  ConnectionType,
  Dictionary,
  EntityData,
  LoggingOptions,
  QueryResult,
  RawQueryFragment,
  Transaction,
} from '@mikro-orm/core';
import { PostgreSqlConnection, PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { NativeQueryBuilder } from '@mikro-orm/sql';
import { isDatabaseUnavailable } from '../database-unavailable.js';
import { sqlStateOf } from '../sql-state.js';
import type { ReadRouter } from './read-routing.js';

interface Fallback {
  primary: PostgreSqlConnection;
  /** The replica could not be reached: out until the monitor finds it answering. */
  failed(error: unknown): void;
  /** The replica cancelled a read for its WAL replay: the replica is fine, the read is redone. */
  cancelledForReplay(): void;
}

/**
 * How a hot standby cancels a statement that holds back the replay of the primary's WAL ("conflict
 * with recovery": a lock, a snapshot or a buffer the replayed record needs): 40001, or 40P01 for
 * a buffer-pin deadlock. Outside a transaction, on a read-only server, nothing else raises them.
 */
const RECOVERY_CONFLICT_STATES = new Set(['40001', '40P01']);

function isRecoveryConflict(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state !== undefined && RECOVERY_CONFLICT_STATES.has(state);
}

/**
 * A replica's connection: a read it cannot serve runs on the primary instead, so the read that
 * noticed does not fail (decision 0200). Unreachable (stopped, restarting, refusing): the replica
 * is out until the monitor finds it answering. Cancelled by the standby for a conflict with its
 * replay (decision 0224): the replica stays in, only that read moves.
 */
export class ReplicaConnection extends PostgreSqlConnection {
  private fallback?: Fallback;

  fallBackTo(fallback: Fallback): void {
    this.fallback = fallback;
  }

  override async execute<
    T extends QueryResult | EntityData<AnyEntity> | EntityData<AnyEntity>[] =
      EntityData<AnyEntity>[],
  >(
    query: string | NativeQueryBuilder | RawQueryFragment,
    params?: readonly unknown[] | Dictionary<unknown>,
    method?: 'all' | 'get' | 'run',
    ctx?: Transaction,
    loggerContext?: LoggingOptions,
  ): Promise<T> {
    try {
      return await super.execute<T>(query, params, method, ctx, loggerContext);
    } catch (error) {
      if (!this.fallback || ctx !== undefined) throw error;
      if (isDatabaseUnavailable(error)) this.fallback.failed(error);
      else if (isRecoveryConflict(error)) this.fallback.cancelledForReplay();
      else throw error;
      return this.fallback.primary.execute<T>(query, params, method, undefined, loggerContext);
    }
  }
}

/**
 * MikroORM's PostgreSQL driver with its replicas (`replicas`, `preferReadReplicas: false`) chosen
 * by the ReadRouter instead of at random: a query asks for a replica with `connectionType:
 * 'read'`, and gets one only when the router finds one fit for it; otherwise, and always before
 * the router is installed, the primary. Writes and transactions never ask.
 */
export class ReadRoutingPostgreSqlDriver extends PostgreSqlDriver {
  private router?: ReadRouter;

  constructor(config: Configuration) {
    super(config);
    // createReplicas copies what a replica's options leave out (pool, dbName…) from the primary's.
    const replicas = this.createReplicas(
      (options) => new ReplicaConnection(this.config, options, 'read'),
    ) as ReplicaConnection[];
    replicas.forEach((replica, index) =>
      replica.fallBackTo({
        primary: this.connection,
        failed: (error) => this.router?.replicaFailed(index, error),
        cancelledForReplay: () => this.router?.readCancelledForReplay(index),
      }),
    );
    // The base class made plain connections to the replicas (never opened): these replace them.
    (this as unknown as { replicas: PostgreSqlConnection[] }).replicas = replicas;
  }

  routeReadsWith(router: ReadRouter): void {
    this.router = router;
  }

  override getConnection(type: ConnectionType = 'write'): PostgreSqlConnection {
    if (type === 'read' && this.router) {
      const index = this.router.replicaForRead();
      if (index !== undefined) return this.replicas[index];
    }
    return this.connection;
  }
}

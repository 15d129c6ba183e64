import type { Options } from '@mikro-orm/postgresql';
import { ReadRoutingPostgreSqlDriver } from './read-routing.driver.js';

/**
 * The ORM options for DATABASE_READ_URLS: MikroORM's own replicas, each with a pool like the
 * primary's, but `preferReadReplicas: false` — MikroORM's default sends every read outside a
 * transaction to a random replica, with no health check and no read-your-writes. Here a query
 * opts in with `connectionType: 'read'` and the ReadRouter decides (decision 0200).
 */
export function replicaOptions(urls: string[] | undefined): Partial<Options> {
  if (!urls || urls.length === 0) return {};
  return {
    driver: ReadRoutingPostgreSqlDriver,
    replicas: urls.map((clientUrl, index) => ({ name: `read-${index + 1}`, clientUrl })),
    preferReadReplicas: false,
  };
}

import type { EntityManager } from '@mikro-orm/core';
import { createHash } from 'node:crypto';
import type { Db } from 'pg-boss';

/** What Keel needs of the Kysely transaction MikroORM 7 runs a transaction on. */
interface KyselyTransaction {
  executeQuery(query: {
    sql: string;
    parameters: readonly unknown[];
    query: { kind: 'RawNode' };
    queryId: { queryId: string };
  }): Promise<{ rows: unknown[] }>;
}

/** `pg`'s QueryConfig: a name makes it a prepared statement, parsed once per connection. */
interface NamedStatement {
  name: string;
  text: string;
}

const names = new Map<string, string>();

/** One name per statement text, the same on every connection and in every process. */
export function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `pgboss_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * pg-boss's statements on the connection of a MikroORM transaction, as named prepared statements
 * when `prepared`. pg-boss's insert (3 KB: `json_to_recordset` joined to its queue table) was
 * planned anew on every send: half of PostgreSQL's CPU for an order, which enqueues two jobs
 * (decision 0140). `pg` prepares a named statement once per connection and binds it after that.
 * Behind a pooler in transaction mode that "connection" is a different server session from one
 * transaction to the next: PgBouncer < 1.21 (Debian 12's 1.18) answers "prepared statement …
 * does not exist" or "already exists" (pgbouncer#695), so there the statements go unnamed
 * (docs/decisions/0180-pgbouncer-in-transaction-mode.md).
 *
 * Kysely's PostgreSQL driver hands `sql` to `pg`'s `client.query()` untouched, which takes a
 * QueryConfig in place of the text: that is how the name reaches `pg` (Kysely has no field for
 * it). `transaction-db.spec.ts` pins this down on a real connection.
 */
export function transactionDb(em: EntityManager, prepared = true): Db {
  const transaction = em.getTransactionContext<KyselyTransaction>();
  if (!transaction) throw new Error('JobQueue.send with a transaction outside em.transactional');
  return {
    async executeSql(text, values) {
      const statement: NamedStatement | string = prepared
        ? { name: statementName(text), text }
        : text;
      const result = await transaction.executeQuery({
        sql: statement as unknown as string,
        parameters: values ?? [],
        query: { kind: 'RawNode' },
        queryId: { queryId: 'pgboss' },
      });
      return { rows: [...result.rows] };
    },
  };
}

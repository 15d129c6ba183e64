import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig } from '../src/database/orm.config.js';
import { ENTITIES } from '../src/domains.js';
import { transactionDb } from '../src/jobs/transaction-db.js';
import { type PgBouncer, pgBouncerInstalled, startPgBouncer } from './support/pgbouncer.js';

const ECHO = 'select $1::text as echoed';

// .ci/run installs PgBouncer; without it (a laptop's `npm test`) there is no pooler to test.
const describeWithPgBouncer = pgBouncerInstalled() ? describe : describe.skip;

/**
 * Why JobQueue sends pg-boss's statements unnamed behind a pooler (jobs/transaction-db.ts): two
 * client connections share PgBouncer's one server connection, one transaction after the other.
 */
describeWithPgBouncer("pg-boss's statements in a transaction, through PgBouncer 1.18", () => {
  let bouncer: PgBouncer;
  let first: MikroORM;
  let second: MikroORM;
  const echo = (orm: MikroORM, prepared: boolean, value: string): Promise<unknown[]> =>
    orm.em.fork().transactional(async (em) => {
      const { rows } = await transactionDb(em, prepared).executeSql(ECHO, [value]);
      return rows as unknown[];
    });

  beforeAll(async () => {
    bouncer = await startPgBouncer(process.env.DATABASE_DIRECT_URL ?? process.env.DATABASE_URL!, {
      poolSize: 1,
    });
    const through = { url: bouncer.url, poolMax: 1, entities: ENTITIES };
    [first, second] = await Promise.all([
      MikroORM.init(ormConfig(through)),
      MikroORM.init(ormConfig(through)),
    ]);
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await bouncer?.dispose();
  });

  it('named, a statement prepared from one client connection collides with the next', async () => {
    await expect(echo(first, true, 'one')).resolves.toEqual([{ echoed: 'one' }]);
    await expect(echo(second, true, 'two')).rejects.toThrow(/already exists/);
  });

  it('unnamed, the same statement runs from every client connection, again and again', async () => {
    for (const orm of [first, second, first, second]) {
      await expect(echo(orm, false, 'again')).resolves.toEqual([{ echoed: 'again' }]);
    }
  });
});

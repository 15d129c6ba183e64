import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig } from '../src/database/orm.config.js';
import { ENTITIES } from '../src/domains.js';
import { createIsolatedDatabase, type IsolatedDatabase } from './support/isolated-database.js';

/**
 * The migrations are the schema's only source in every environment (the app never syncs it), so
 * an entity changed without its migration would only fail on the database, in production. Code
 * also relies on names the migrations give, e.g. the foreign key that checks an order's customer.
 */
describe('migrations', () => {
  let database: IsolatedDatabase;
  let orm: MikroORM;
  beforeAll(async () => {
    database = await createIsolatedDatabase('migrations');
    orm = await MikroORM.init(ormConfig({ url: database.url, poolMax: 2, entities: ENTITIES }));
  });
  afterAll(async () => {
    await orm?.close(true);
    await database?.drop();
  });

  it('create exactly the schema the entities describe: a new migration would be empty', async () => {
    const diff = await orm.schema.getUpdateSchemaMigrationSQL({ wrap: false });
    expect(diff.up.trim()).toBe('');
  });

  it('leave nothing pending on a migrated database', async () => {
    expect(await orm.migrator.getPending()).toEqual([]);
  });
});

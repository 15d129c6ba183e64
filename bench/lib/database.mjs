// The bench's own database: created fresh, migrated with Keel's migrations, seeded with customers
// and, per server, a buyer and products for the order row; dropped at the end.
import { join } from 'node:path';
import pg from 'pg';
import { log } from './log.mjs';
import { onCleanup, run } from './processes.mjs';
import { NODE, ROOT, SETTINGS } from './settings.mjs';
import { JWT_SECRET } from './token.mjs';

const admin = () => import('../../dist/database/database-admin.js');

async function databaseServer() {
  if (process.env.DATABASE_URL)
    return { serverUrl: process.env.DATABASE_URL, source: 'DATABASE_URL' };
  const { startEmbeddedDatabase } =
    await import('../../dist/database/embedded/embedded-database.js');
  // As root the data lives in a machine folder the postgres user can reach (decision 0060).
  const embedded = await startEmbeddedDatabase(join(ROOT, '.data/bench-postgres'));
  log(`started embedded PostgreSQL under ${embedded.dataDir}`);
  onCleanup(async () => {
    await embedded.stop();
    log('embedded PostgreSQL stopped');
  });
  return { serverUrl: embedded.serverUrl, source: `embedded (${embedded.dataDir})` };
}

export async function prepareDatabase(orderServers) {
  const { createDatabaseIfMissing, dropDatabase, withDatabase } = await admin();
  const { serverUrl, source } = await databaseServer();
  await dropDatabase(serverUrl, SETTINGS.database);
  await createDatabaseIfMissing(serverUrl, SETTINGS.database);
  onCleanup(() =>
    dropDatabase(serverUrl, SETTINGS.database).then(
      () => log(`dropped database ${SETTINGS.database}`),
      (error) => log(`could not drop ${SETTINGS.database}: ${error.message}`),
    ),
  );
  const url = withDatabase(serverUrl, SETTINGS.database);

  log('applying migrations (dist/database/cli/migrate.js)');
  await run(NODE, ['dist/database/cli/migrate.js'], {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: url,
    JWT_SECRET,
  });

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const t0 = Date.now();
    await insertCustomers(client);
    const { rows } = await client.query('select id from customers order by random() limit $1', [
      SETTINGS.sampleIds,
    ]);
    const order = {};
    for (const key of orderServers) order[key] = await insertOrderFixtures(client, key);
    await client.query('analyze products');
    const version = (await client.query('show server_version')).rows[0].server_version;
    const maxConnections = (await client.query('show max_connections')).rows[0].max_connections;
    log(`inserted ${SETTINGS.customers} customers in ${Date.now() - t0} ms; PostgreSQL ${version}`);
    return { url, source, version, maxConnections, ids: rows.map((row) => row.id), order };
  } finally {
    await client.end();
  }
}

async function insertCustomers(client) {
  await client.query(
    `insert into customers (id, name, email, phone, created_at, updated_at, version)
     select gen_random_uuid(),
            'Customer ' || g,
            'customer' || g || '@example.com',
            case when g % 3 = 0 then null else '+1 555 ' || lpad(g::text, 7, '0') end,
            now() - make_interval(secs => g),
            now() - make_interval(secs => g / 2),
            1 + g % 4
     from generate_series(1, $1::int) as g`,
    [SETTINGS.customers],
  );
  await client.query('analyze customers');
}

/**
 * The order row: each server gets a buyer and products of its own, so that its stock check after
 * the load depends on its orders only (the servers never share a product row).
 */
async function insertOrderFixtures(client, key) {
  const buyer = (
    await client.query(
      `insert into customers (id, name, email, created_at, updated_at, version)
       values (gen_random_uuid(), $1, $2, now(), now(), 1) returning id`,
      [`Bench buyer (${key})`, `bench-buyer-${key}@example.com`],
    )
  ).rows[0].id;
  const { rows: products } = await client.query(
    `insert into products (id, sku, name, price_cents, currency, stock, active, created_at, updated_at, version)
     select gen_random_uuid(), 'BENCH-' || $5 || '-' || g, 'Bench product ' || g, 100 * g, 'EUR',
            case when g <= $3::int then $4::int else $2::int end, true, now(), now(), 1
     from generate_series(1, $1::int) as g order by g returning id, stock`,
    [
      SETTINGS.orderProducts,
      SETTINGS.orderStartingStock,
      SETTINGS.orderScarceProducts,
      SETTINGS.orderScarceStock,
      key,
    ],
  );
  return {
    customerId: buyer,
    productIds: products.map((row) => row.id),
    startingStock: Object.fromEntries(products.map((row) => [row.id, row.stock])),
  };
}

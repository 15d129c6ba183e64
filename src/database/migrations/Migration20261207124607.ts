import { Migration } from '@mikro-orm/migrations';

/**
 * Name search (`?q=`) served by a trigram index instead of a scan of every product
 * (docs/decisions/0150-catalogue-search-and-drafts.md). `pg_trgm` ships with PostgreSQL's contrib
 * modules (the Debian server and the embedded build both have it) and is a trusted extension:
 * the database's owner may create it without superuser rights.
 */
export class Migration20261207124607 extends Migration {
  override name = 'Migration20261207124607';

  override up(): void | Promise<void> {
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(
      `create index "products_name_trgm_idx" on "products" using gin ("name" gin_trgm_ops);`,
    );
  }

  override down(): void | Promise<void> {
    // The extension stays: other objects may use it by now, and it costs nothing unused.
    this.addSql(`drop index "products_name_trgm_idx";`);
  }
}

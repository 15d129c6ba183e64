import { Migration } from '@mikro-orm/migrations';

export class Migration20261125154604 extends Migration {
  override name = 'Migration20261125154604';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "orders" alter column "total_cents" type bigint using ("total_cents"::bigint);`,
    );
    this.addSql(
      `alter table "orders" add constraint "orders_total_cents_money" check (total_cents >= 0 and total_cents <= 9007199254740991);`,
    );

    this.addSql(`alter table "products" drop constraint "products_price_cents_non_negative";`);
    this.addSql(
      `alter table "products" alter column "price_cents" type bigint using ("price_cents"::bigint);`,
    );
    this.addSql(
      `alter table "products" add constraint "products_price_cents_money" check (price_cents >= 0 and price_cents <= 9007199254740991);`,
    );

    this.addSql(
      `alter table "order_items" alter column "unit_price_cents" type bigint using ("unit_price_cents"::bigint);`,
    );
    this.addSql(
      `alter table "order_items" add constraint "order_items_unit_price_cents_money" check (unit_price_cents >= 0 and unit_price_cents <= 9007199254740991);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "order_items" drop constraint "order_items_unit_price_cents_money";`);
    this.addSql(
      `alter table "order_items" alter column "unit_price_cents" type int4 using ("unit_price_cents"::int4);`,
    );

    this.addSql(`alter table "orders" drop constraint "orders_total_cents_money";`);
    this.addSql(
      `alter table "orders" alter column "total_cents" type int4 using ("total_cents"::int4);`,
    );

    this.addSql(`alter table "products" drop constraint "products_price_cents_money";`);
    this.addSql(
      `alter table "products" alter column "price_cents" type int4 using ("price_cents"::int4);`,
    );
    this.addSql(
      `alter table "products" add constraint "products_price_cents_non_negative" check (price_cents >= 0);`,
    );
  }
}

import { Migration } from '@mikro-orm/migrations';

export class Migration20261125065131 extends Migration {
  override name = 'Migration20261125065131';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "idempotency_keys" ("key" varchar(255) not null, "request_hash" varchar(64) not null, "order_id" uuid null, "response_status" int null, "created_at" timestamptz not null, primary key ("key"));`,
    );
    this.addSql(
      `create index "idempotency_keys_created_at_idx" on "idempotency_keys" ("created_at");`,
    );

    this.addSql(
      `create table "orders" ("id" uuid not null, "customer_id" uuid not null, "status" text not null default 'pending', "total_cents" int not null, "currency" varchar(3) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, primary key ("id"));`,
    );
    this.addSql(`create index "orders_created_at_id_idx" on "orders" ("created_at", "id");`);
    this.addSql(
      `create index "orders_customer_created_at_id_idx" on "orders" ("customer_id", "created_at", "id");`,
    );
    this.addSql(
      `create index "orders_status_created_at_idx" on "orders" ("status", "created_at");`,
    );

    this.addSql(
      `create table "products" ("id" uuid not null, "sku" varchar(64) not null, "name" varchar(200) not null, "description" text null, "price_cents" int not null, "currency" varchar(3) not null, "stock" int not null, "active" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, primary key ("id"));`,
    );
    this.addSql(`alter table "products" add constraint "products_sku_unique" unique ("sku");`);
    this.addSql(`create index "products_created_at_id_idx" on "products" ("created_at", "id");`);
    this.addSql(`create index "products_price_cents_id_idx" on "products" ("price_cents", "id");`);
    this.addSql(`create index "products_name_id_idx" on "products" ("name", "id");`);

    this.addSql(
      `create table "order_items" ("id" uuid not null, "order_id" uuid not null, "product_id" uuid not null, "quantity" int not null, "unit_price_cents" int not null, primary key ("id"));`,
    );
    this.addSql(`create index "order_items_order_id_idx" on "order_items" ("order_id");`);
    this.addSql(`create index "order_items_product_id_idx" on "order_items" ("product_id");`);

    this.addSql(
      `alter table "orders" add constraint "orders_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on delete restrict;`,
    );
    this.addSql(
      `alter table "orders" add constraint "orders_status_check" check ("status" in ('pending', 'confirmed', 'cancelled', 'expired'));`,
    );

    this.addSql(
      `alter table "products" add constraint "products_stock_non_negative" check (stock >= 0);`,
    );
    this.addSql(
      `alter table "products" add constraint "products_price_cents_non_negative" check (price_cents >= 0);`,
    );

    this.addSql(
      `alter table "order_items" add constraint "order_items_order_id_foreign" foreign key ("order_id") references "orders" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "order_items" add constraint "order_items_product_id_foreign" foreign key ("product_id") references "products" ("id") on delete restrict;`,
    );
    this.addSql(
      `alter table "order_items" add constraint "order_items_quantity_positive" check (quantity >= 1);`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "order_items" drop constraint "order_items_order_id_foreign";`);
    this.addSql(`alter table "order_items" drop constraint "order_items_product_id_foreign";`);

    this.addSql(`drop table if exists "idempotency_keys" cascade;`);
    this.addSql(`drop table if exists "orders" cascade;`);
    this.addSql(`drop table if exists "products" cascade;`);
    this.addSql(`drop table if exists "order_items" cascade;`);
  }
}

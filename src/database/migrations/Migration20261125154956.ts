import { Migration } from '@mikro-orm/migrations';

/**
 * Idempotency keys scoped per account, written with their order (decision 0031). Keys stored so far
 * have no account: each goes to the account that owns its order's customer. The rest cannot be
 * attributed (orders an admin placed, claims left behind by a crash) and are dropped; they answer
 * for 24 h at most anyway.
 */
export class Migration20261125154956 extends Migration {
  override name = 'Migration20261125154956';

  override up(): void | Promise<void> {
    this.addSql(`alter table "idempotency_keys" drop constraint "idempotency_keys_pkey";`);
    this.addSql(`alter table "idempotency_keys" drop column "response_status";`);
    this.addSql(`alter table "idempotency_keys" add "account_id" uuid null;`);
    this.addSql(
      `update "idempotency_keys" k set "account_id" = u."id" from "orders" o join "users" u on u."customer_id" = o."customer_id" where o."id" = k."order_id";`,
    );
    this.addSql(`delete from "idempotency_keys" where "account_id" is null or "order_id" is null;`);
    this.addSql(`alter table "idempotency_keys" alter column "account_id" set not null;`);
    this.addSql(
      `alter table "idempotency_keys" add constraint "idempotency_keys_account_id_foreign" foreign key ("account_id") references "users" ("id") on delete cascade;`,
    );
    this.addSql(`alter table "idempotency_keys" alter column "order_id" set not null;`);
    this.addSql(`alter table "idempotency_keys" add primary key ("account_id", "key");`);
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table "idempotency_keys" drop constraint "idempotency_keys_account_id_foreign";`,
    );
    this.addSql(`alter table "idempotency_keys" drop constraint "idempotency_keys_pkey";`);
    // One key per string again: of the accounts that used the same key, the earliest keeps it.
    this.addSql(
      `delete from "idempotency_keys" a using "idempotency_keys" b where a."key" = b."key" and (a."created_at", a."account_id") > (b."created_at", b."account_id");`,
    );
    this.addSql(`alter table "idempotency_keys" drop column "account_id";`);
    this.addSql(`alter table "idempotency_keys" add "response_status" int4 null;`);
    this.addSql(`alter table "idempotency_keys" alter column "order_id" drop not null;`);
    this.addSql(`alter table "idempotency_keys" add primary key ("key");`);
  }
}

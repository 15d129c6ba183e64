import { Migration } from '@mikro-orm/migrations';

export class Migration20261125060843 extends Migration {
  override name = 'Migration20261125060843';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "rate_limit_counters" ("key" varchar(64) not null, "hits" int not null, "expires_at" timestamptz not null, primary key ("key"));`,
    );
    this.addSql(
      `create index "rate_limit_counters_expires_at_idx" on "rate_limit_counters" ("expires_at");`,
    );

    this.addSql(
      `create table "users" ("id" uuid not null, "email" varchar(320) not null, "password_hash" varchar(255) not null, "role" text not null, "customer_id" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, primary key ("id"));`,
    );
    this.addSql(
      `alter table "users" add constraint "users_customer_id_unique" unique ("customer_id");`,
    );
    this.addSql(`create unique index "users_email_lower_unique" on "users" (lower("email"));`);

    this.addSql(
      `alter table "users" add constraint "users_customer_id_foreign" foreign key ("customer_id") references "customers" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "users" add constraint "users_role_check" check ("role" in ('admin', 'customer'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "rate_limit_counters" cascade;`);
    this.addSql(`drop table if exists "users" cascade;`);
  }
}

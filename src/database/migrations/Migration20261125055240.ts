import { Migration } from '@mikro-orm/migrations';

export class Migration20261125055240 extends Migration {
  override name = 'Migration20261125055240';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "customers" ("id" uuid not null, "name" varchar(200) not null, "email" varchar(320) not null, "phone" varchar(32) null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, primary key ("id"));`,
    );
    this.addSql(`create index "customers_created_at_id_idx" on "customers" ("created_at", "id");`);
    this.addSql(
      `create unique index "customers_email_lower_unique" on "customers" (lower("email"));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "customers" cascade;`);
  }
}

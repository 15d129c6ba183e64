import { Migration } from '@mikro-orm/migrations';

export class Migration20261125152946 extends Migration {
  override name = 'Migration20261125152946';

  override up(): void | Promise<void> {
    // Until now a customer could set their record's email to anything (issue 9, item 15): the
    // account's email, the one they registered and log in with, wins. A record whose account's
    // email another record already has keeps its own (rare; the unique index would refuse it).
    this.addSql(
      `update "customers" c set "email" = u."email" from "users" u where u."customer_id" = c."id" and c."email" <> u."email" and not exists (select 1 from "customers" o where lower(o."email") = lower(u."email") and o."id" <> c."id");`,
    );
    this
      .addSql(`create or replace function "customers_email_moves_account_login_fn"() returns trigger as $$ begin if new.email is distinct from old.email then
  update users set email = new.email, updated_at = now(), version = version + 1 where customer_id = new.id; end if; return null; end; $$ language plpgsql;`);
    this.addSql(
      `create trigger "email_moves_account_login" AFTER UPDATE on "customers" for each ROW execute function "customers_email_moves_account_login_fn"();`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "email_moves_account_login" on "customers";`);
    this.addSql(`drop function if exists "customers_email_moves_account_login_fn"();`);
  }
}

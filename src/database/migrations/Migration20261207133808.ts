import { Migration } from '@mikro-orm/migrations';

/**
 * Sessions with rotating refresh tokens, account changes that revoke tokens at once, and disabled
 * accounts (issue 22; decisions 0160 and 0161).
 */
export class Migration20261207133808 extends Migration {
  override name = 'Migration20261207133808';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "account_changes" ("user_id" uuid not null, "changed_at" timestamptz not null, "signed_out_at" timestamptz null, primary key ("user_id"));`,
    );
    this.addSql(
      `create index "account_changes_changed_at_idx" on "account_changes" ("changed_at");`,
    );

    this.addSql(
      `create table "sessions" ("id" uuid not null, "user_id" uuid not null, "created_at" timestamptz not null, "idle_expires_at" timestamptz not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`create index "sessions_user_id_idx" on "sessions" ("user_id");`);
    this.addSql(`create index "sessions_revoked_at_idx" on "sessions" ("revoked_at");`);

    this.addSql(
      `create table "refresh_tokens" ("token_hash" varchar(43) not null, "session_id" uuid not null, "created_at" timestamptz not null, "spent_at" timestamptz null, primary key ("token_hash"));`,
    );
    this.addSql(`create index "refresh_tokens_session_id_idx" on "refresh_tokens" ("session_id");`);
    this.addSql(`create index "refresh_tokens_spent_at_idx" on "refresh_tokens" ("spent_at");`);

    this.addSql(`alter table "users" add "disabled" boolean not null default false;`);

    this.addSql(
      `alter table "sessions" add constraint "sessions_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "refresh_tokens" add constraint "refresh_tokens_session_id_foreign" foreign key ("session_id") references "sessions" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(
      `alter table "refresh_tokens" drop constraint "refresh_tokens_session_id_foreign";`,
    );

    this.addSql(`drop table if exists "account_changes" cascade;`);
    this.addSql(`drop table if exists "sessions" cascade;`);
    this.addSql(`drop table if exists "refresh_tokens" cascade;`);

    this.addSql(`alter table "users" drop column "disabled";`);
  }
}

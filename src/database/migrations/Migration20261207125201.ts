import { Migration } from '@mikro-orm/migrations';

export class Migration20261207125201 extends Migration {
  override name = 'Migration20261207125201';

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "users" add "oidc_issuer" varchar(2048) null, add "oidc_subject" varchar(255) null;`,
    );
    this.addSql(
      `alter table "users" add constraint "users_oidc_identity_unique" unique ("oidc_issuer", "oidc_subject");`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "users" drop constraint "users_oidc_identity_unique";`);
    this.addSql(`alter table "users" drop column "oidc_issuer", drop column "oidc_subject";`);
  }
}

import { sqlWithoutValues } from './sql-without-values.js';

describe('sqlWithoutValues', () => {
  it.each([
    [
      `select "c0"."id" from "customers" as "c0" where lower(email) = 'ada@example.com' limit 1`,
      `select "c0"."id" from "customers" as "c0" where lower(email) = ? limit ?`,
    ],
    [
      `insert into "users" ("email", "password_hash") values ('o''brien@example.com', '$argon2id$v=19$m=65536')`,
      `insert into "users" ("email", "password_hash") values (?, ?)`,
    ],
    [
      `update "products" set "stock" = "stock" - 2, "version" = "version" + 1 where "id" = 'x' and "stock" >= 2.5e3`,
      `update "products" set "stock" = "stock" - ?, "version" = "version" + ? where "id" = ? and "stock" >= ?`,
    ],
    [
      `UPDATE pgboss.schedule SET last_job_id = $1::text WHERE s.name = x.name2`,
      `UPDATE pgboss.schedule SET last_job_id = $1::text WHERE s.name = x.name2`,
    ],
  ])('%s', (sql, expected) => {
    expect(sqlWithoutValues(sql)).toBe(expected);
  });
});

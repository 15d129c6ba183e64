'use strict';
/** What `npm run g:domain -- --help` prints: the grammar of the command line (issue 23). */
const USAGE = `Usage: npm run g:domain -- <name> [<field>:<type>[?] ...] [--owned-by <field>] [--dry-run]
       (also: npx nest g domain <name>, which takes no field specs)

A domain in the style of customers: entity, repository, service, controller, DTOs, ONE migration,
unit and e2e tests, registered in src/domains.ts. <name> is any spelling: invoice, Invoice,
line-items, LineItem.

Field types (a trailing ? makes the field optional: nullable, and null clears it):
  text[:length]      varchar(length), 1..length characters, trimmed (length 200 if not given)
  int[:min..max]     int, a whole number in the range (the column's own range if not given)
  money              bigint cents, 0 to 2^53 - 1 (a CHECK keeps the column there)
  bool               boolean
  date               date, a calendar day as YYYY-MM-DD
  timestamp          timestamptz, ISO 8601 with a time zone (Z or +01:00)
  enum:a,b,c         text with a CHECK; one of the values
  ref:<domain>       a foreign key to that domain (ON DELETE RESTRICT, indexed); sent and
                     answered as <field>Id; an unknown id is a 422, and deleting the referenced
                     row while this one points at it is a 409 that names this domain

Without field specs the domain has one field, name:text.

--owned-by <field>   <field> is a reference to customers (added as <field>:ref:customers if not
                     given): a customer lists, reads and changes only rows of their own customer
                     record (others' answer 404), and creates rows only for it (403); admins all.
                     Without it, any signed-in account reads and only admins write.

Example:
  npm run g:domain -- invoice amountCents:money status:enum:draft,issued,paid \\
    customer:ref:customers note:text:500? dueOn:date --owned-by customer
`;

module.exports = { USAGE };

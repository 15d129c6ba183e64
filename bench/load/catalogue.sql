-- $1 products for the search load (test/search-load.e2e-spec.ts, bench/search-isolation.mjs):
-- one statement, keys ascending (cheap b-tree inserts); over HTTP it would take minutes. Product
-- n has the id 00000000-0000-4000-8000-<n in 12 hex digits> and a name no search pattern matches.
insert into products (id, sku, name, description, price_cents, currency, stock, active,
                      created_at, updated_at, version)
select ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid,
       'LOAD-' || lpad(g::text, 7, '0'),
       'Load item ' || g || ' ' || substr(md5(g::text), 1, 10), null, 100 + g % 5000, 'EUR',
       10, true, now() - g * interval '1 ms', now(), 1
from generate_series(1, $1) g

#!/usr/bin/env bash
# Runs Debian's PgBouncer (1.18) in the foreground, in transaction pooling mode, in front of the
# PostgreSQL that SERVER_HOST:SERVER_PORT names (127.0.0.1:5432 by default), listening on
# 127.0.0.1:<port>. Every database name is passed through (`*`), each with a small server pool, so
# that the e2e suites' scratch databases work through it too. Used by .ci/run's pooler pass and by
# test/support/pgbouncer.ts; stop it with SIGINT (SIGTERM is an immediate shutdown before 1.23).
#   usage: .ci/pgbouncer.sh <config dir> <port> [server pool size]
#   env: SERVER_HOST, SERVER_PORT, SERVER_USER (postgres), SERVER_PASSWORD, QUERY_WAIT_TIMEOUT (10 s)
set -euo pipefail
dir=$1
port=$2
pool=${3:-5}
bin=$(command -v pgbouncer || echo /usr/sbin/pgbouncer)
mkdir -p "$dir"
# pgbouncer refuses to run as root; as root it switches to the postgres user (-u), who must be able
# to read the configuration.
chmod 755 "$dir"
user=${SERVER_USER:-postgres}
# Clients are trusted; PgBouncer logs in to the server with the auth file's password (if any).
printf '"%s" "%s"\n' "$user" "${SERVER_PASSWORD:-}" >"$dir/users.txt"
cat >"$dir/pgbouncer.ini" <<INI
[databases]
* = host=${SERVER_HOST:-127.0.0.1} port=${SERVER_PORT:-5432}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = trust
auth_file = ${dir}/users.txt
pool_mode = transaction
default_pool_size = ${pool}
max_client_conn = 1000
max_db_connections = 0
; pg sends none today; JDBC-style clients and psql tools send this one (pgbouncer#907).
ignore_startup_parameters = extra_float_digits
; A pooler that cannot reach the server answers fast, so that Keel answers 503 rather than waiting.
query_wait_timeout = ${QUERY_WAIT_TIMEOUT:-10}
server_login_retry = 1
admin_users = ${user}
INI
chmod 644 "$dir/pgbouncer.ini" "$dir/users.txt"
if [ "$(id -u)" -eq 0 ]; then
  exec "$bin" -u postgres "$dir/pgbouncer.ini"
fi
exec "$bin" "$dir/pgbouncer.ini"

#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests (the blog's PostgreSQL variant), in a temp
# directory on a free loopback port, touching no system cluster or config.
#
#   eval "$(bash scripts/test-postgres.sh start)"   # exports TEST_DATABASE_URL and TEST_POSTGRES_DIR
#   bash scripts/test-postgres.sh stop "$TEST_POSTGRES_DIR"
#
# Needs Debian's postgresql package (scripts/install-peers.sh). As root it runs the server
# as the postgres user (initdb refuses root); otherwise as the current user. Where PostgreSQL
# is missing, `start` says so on stderr and prints nothing to eval: those tests are skipped.
set -euo pipefail

command="${1:-}"

as_server_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
start)
  bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "test-postgres: PostgreSQL is not installed (scripts/install-peers.sh); its tests will be skipped" >&2
    exit 0
  fi
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    echo "test-postgres: no postgres user to run the server as; its tests will be skipped" >&2
    exit 0
  fi
  dir="$(mktemp -d "${TMPDIR:-/tmp}/tornado-test-postgres.XXXXXX")"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  port="$(node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); })')"
  password="$(node -e 'console.log(require("crypto").randomBytes(18).toString("hex"))')"
  as_server_user "$bindir/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # fsync off: a test database that dies with the machine loses nothing of value.
  as_server_user "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" start >&2 \
    || { cat "$dir/server.log" >&2; exit 1; }
  as_server_user "$bindir/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE tornado_test LOGIN PASSWORD '$password'" \
    -c "CREATE DATABASE tornado_test OWNER tornado_test" >&2
  echo "export TEST_DATABASE_URL='postgres://tornado_test:$password@127.0.0.1:$port/tornado_test'"
  echo "export TEST_POSTGRES_DIR='$dir'"
  echo "test-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $dir" >&2
  ;;
stop)
  dir="${2:-}"
  [ -n "$dir" ] && [ -d "$dir/data" ] || exit 0
  bindir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  as_server_user "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >&2 || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start | stop DIR" >&2
  exit 2
  ;;
esac

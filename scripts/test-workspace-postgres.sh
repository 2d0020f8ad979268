#!/usr/bin/env bash
# Run the workspace tests against a real PostgreSQL server started for the run.
#
# Uses Debian's postgresql (installed with apt-get when missing and allowed),
# creates a throw-away cluster in a temporary folder on a free port, a role
# with CREATEDB (the tests make their own test_ database), runs pytest with
# RIS3_TEST_DATABASE_URL set, and removes the cluster afterwards.
# Usage: scripts/test-workspace-postgres.sh [PYTEST] [extra pytest args...]
set -euo pipefail
PYTEST="${1:-.venv/bin/pytest}"
shift || true

pg_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}
if [ -z "$(pg_bin)" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian postgresql for the workspace tests..."
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    echo "PostgreSQL not found (install Debian's postgresql); workspace tests on PostgreSQL skipped." >&2
    exit 1
  fi
fi
BIN="$(pg_bin)"
DIR="$(mktemp -d /tmp/ris3-pg.XXXXXX)"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
PW="ris3-test-$(python3 -c 'import secrets; print(secrets.token_hex(8))')"
# initdb refuses to run as root: the cluster belongs to the postgres user then
if [ "$(id -u)" = "0" ]; then
  chown postgres "$DIR"
  AS=(runuser -u postgres --)
else
  AS=()
fi
cleanup() {
  "${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT
"${AS[@]}" "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --no-locale >/dev/null
"${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w \
  -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
"${AS[@]}" "$BIN/psql" -h "$DIR" -p "$PORT" -U postgres -q -v ON_ERROR_STOP=1 \
  -c "CREATE ROLE ris3 LOGIN CREATEDB PASSWORD '$PW'" -c "CREATE DATABASE ris3 OWNER ris3"
echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
RIS3_TEST_DATABASE_URL="postgresql://ris3:$PW@127.0.0.1:$PORT/ris3" \
  "$PYTEST" -q tests/workspace "$@"

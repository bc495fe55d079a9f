#!/usr/bin/env bash
# Start a PostgreSQL cluster on 127.0.0.1 (Debian's postgresql package), run the given command with DATABASE_URL
# pointing at it, then stop the cluster, whatever the command's outcome. initdb runs as the `postgres` user, never
# as root.
#
# By default the cluster is a throwaway one (a temporary directory, removed at the end). With JINENG_PGDATA=DIR the
# cluster lives in DIR and is kept: created on first use, reused (and its data kept) by later runs — what
# `make bench BENCH_SCALE=province` uses, since generating the province takes hours. JINENG_PGDB names the database
# (default jineng); JINENG_PG_OPTS adds server options.
set -euo pipefail
BINDIR=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGPORT=${JINENG_TEST_PGPORT:-$(( 54320 + RANDOM % 500 ))}
PGDB=${JINENG_PGDB:-jineng}
if [ -n "${JINENG_PGDATA:-}" ]; then
  mkdir -p "$JINENG_PGDATA"
  DATADIR=$(cd "$JINENG_PGDATA" && pwd)
  KEEP=1
else
  DATADIR=$(mktemp -d /tmp/jineng-pg.XXXXXX)
  KEEP=0
fi
SOCKDIR=$(mktemp -d /tmp/jineng-pgsock.XXXXXX)
AS=()
if [ "$(id -u)" = 0 ]; then
  chown -R postgres:postgres "$DATADIR" "$SOCKDIR"
  AS=(runuser -u postgres --)
fi
cleanup() {
  if [ "$KEEP" = 1 ]; then
    "${AS[@]}" "$BINDIR/pg_ctl" -D "$DATADIR/data" -m fast -t 600 stop >/dev/null 2>&1 || true
  else
    "${AS[@]}" "$BINDIR/pg_ctl" -D "$DATADIR/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$DATADIR"
  fi
  rm -rf "$SOCKDIR"
}
trap cleanup EXIT
if [ ! -f "$DATADIR/data/PG_VERSION" ]; then
  "${AS[@]}" "$BINDIR/initdb" -D "$DATADIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
rm -f "$DATADIR/data/postmaster.pid"  # a kept cluster stopped by a crash or a kill
"${AS[@]}" "$BINDIR/pg_ctl" -D "$DATADIR/data" -l "$DATADIR/log" -w -t 600 -o \
  "-p $PGPORT -k $SOCKDIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB ${JINENG_PG_OPTS:-}" \
  start >/dev/null
echo "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT$( [ "$KEEP" = 1 ] && echo " (kept in $DATADIR)")"
export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/$PGDB"
if ! "${AS[@]}" "$BINDIR/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$PGDB'" postgres | grep -q 1; then
  "${AS[@]}" "$BINDIR/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres "$PGDB"
fi
"$@"

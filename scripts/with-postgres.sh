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
# A port the kernel says is free on 127.0.0.1 (JINENG_TEST_PGPORT fixes one). It can be taken again before the server
# binds it, so the start below retries on a new port, printing the server's log each time it fails.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
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
started=0
for attempt in 1 2 3 4 5; do
  PGPORT=${JINENG_TEST_PGPORT:-$(free_port)}
  if "${AS[@]}" "$BINDIR/pg_ctl" -D "$DATADIR/data" -l "$DATADIR/log" -w -t 600 -o \
    "-p $PGPORT -k $SOCKDIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB ${JINENG_PG_OPTS:-}" \
    start >/dev/null; then
    started=1
    break
  fi
  echo "PostgreSQL did not start on port $PGPORT (attempt $attempt); its log ends:" >&2
  tail -n 20 "$DATADIR/log" >&2 || true
  rm -f "$DATADIR/data/postmaster.pid"
  [ -n "${JINENG_TEST_PGPORT:-}" ] && break
  sleep 2
done
[ "$started" = 1 ] || { echo "PostgreSQL could not be started" >&2; exit 1; }
echo "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT$( [ "$KEEP" = 1 ] && echo " (kept in $DATADIR)")"
export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/$PGDB"
export JINENG_PGSOCKET="$SOCKDIR:$PGPORT"  # the same server by its Unix socket (the verification benchmark)
if ! "${AS[@]}" "$BINDIR/psql" -h 127.0.0.1 -p "$PGPORT" -U postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$PGDB'" postgres | grep -q 1; then
  "${AS[@]}" "$BINDIR/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres "$PGDB"
fi
"$@"

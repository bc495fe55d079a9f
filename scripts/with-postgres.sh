#!/usr/bin/env bash
# Start a throwaway PostgreSQL cluster on 127.0.0.1 (Debian's postgresql package), run the given command with
# DATABASE_URL pointing at it, then stop the cluster and remove it, whatever the command's outcome.
# initdb runs as the `postgres` user, never as root.
set -euo pipefail
BINDIR=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGPORT=${JINENG_TEST_PGPORT:-$(( 54320 + RANDOM % 500 ))}
DATADIR=$(mktemp -d /tmp/jineng-pg.XXXXXX)
SOCKDIR=$DATADIR/sock
mkdir -p "$SOCKDIR"
AS=()
if [ "$(id -u)" = 0 ]; then
  chown -R postgres:postgres "$DATADIR"
  AS=(runuser -u postgres --)
fi
cleanup() {
  "${AS[@]}" "$BINDIR/pg_ctl" -D "$DATADIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DATADIR"
}
trap cleanup EXIT
"${AS[@]}" "$BINDIR/initdb" -D "$DATADIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${AS[@]}" "$BINDIR/pg_ctl" -D "$DATADIR/data" -l "$DATADIR/log" -w -o \
  "-p $PGPORT -k $SOCKDIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB" \
  start >/dev/null
echo "PostgreSQL $("$BINDIR/postgres" --version | awk '{print $3}') on 127.0.0.1:$PGPORT"
export DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT/jineng"
"${AS[@]}" "$BINDIR/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres jineng
"$@"

#!/usr/bin/env bash
# Restore a base backup (scripts/backup.sh) into a NEW data directory and replay the WAL archive up to a point in
# time, then promote: the restored cluster runs on its own port beside (never over) the damaged one.
#
#   scripts/restore.sh --base /var/backups/jineng/base/20261207T040000Z --wal /var/backups/jineng/wal \
#       --datadir /srv/pg-restored [--target-time '2026-12-07 04:10:00+00'] [--port 5433] [--no-start]
#
# Without --target-time the whole archive is replayed (recovery to the latest archived transaction). The command runs
# as the user that will own the cluster (postgres); it prints the seconds spent until the cluster accepted writes.
set -euo pipefail
BINDIR=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
base="" wal="" datadir="" target="" port=5433 start=1 sockdir=${PG_SOCKDIR:-/tmp}
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base=$2; shift 2 ;;
    --wal) wal=$2; shift 2 ;;
    --datadir) datadir=$2; shift 2 ;;
    --target-time) target=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    --no-start) start=0; shift ;;
    *) echo "usage: restore.sh --base DIR --wal DIR --datadir NEWDIR [--target-time TS] [--port P] [--no-start]" >&2
       exit 2 ;;
  esac
done
for v in base wal datadir; do [ -n "${!v}" ] || { echo "restore.sh: --$v is required" >&2; exit 2; }; done
[ -f "$base/data/PG_VERSION" ] || { echo "restore.sh: $base/data is not a base backup" >&2; exit 2; }
if [ -e "$datadir" ] && [ -n "$(ls -A "$datadir" 2>/dev/null)" ]; then
  echo "restore.sh: $datadir is not empty; restore goes into a new directory, never over a cluster" >&2
  exit 2
fi
t0=$(date +%s.%N)
"$BINDIR/pg_verifybackup" -q "$base/data"
mkdir -p "$datadir"
chmod 700 "$datadir"
cp -a "$base/data/." "$datadir/"
rm -f "$datadir/postmaster.pid" "$datadir/backup_manifest"
wal_abs=$(cd "$wal" && pwd)
{
  echo "# restore.sh $(date -u +%FT%TZ): point-in-time recovery from $base"
  echo "restore_command = 'cp \"$wal_abs/%f\" \"%p\"'"
  [ -n "$target" ] && echo "recovery_target_time = '$target'"
  echo "recovery_target_action = 'promote'"
  echo "archive_mode = 'off'"  # the restored copy must not write into the production archive
} >>"$datadir/postgresql.auto.conf"
touch "$datadir/recovery.signal"
if [ "$start" = 1 ]; then
  "$BINDIR/pg_ctl" -D "$datadir" -l "$datadir/restore.log" -w -t 3600 \
    -o "-p $port -k $sockdir -c listen_addresses=127.0.0.1" start >/dev/null
  until [ "$("$BINDIR/psql" -h 127.0.0.1 -p "$port" -U "${PGUSER:-postgres}" -Atqc 'SELECT pg_is_in_recovery()' \
    postgres 2>/dev/null)" = f ]; do
    if ! "$BINDIR/pg_ctl" -D "$datadir" status >/dev/null 2>&1; then
      echo "restore.sh: the restored cluster stopped during recovery:" >&2
      tail -n 20 "$datadir/restore.log" >&2
      exit 1
    fi
    sleep 0.2
  done
fi
awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "restored in %.1f s\n", b-a}'

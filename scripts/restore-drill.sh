#!/usr/bin/env bash
# The backup and restore drill (`make drill`): a throwaway PostgreSQL cluster with WAL archiving, the demo data,
# a base backup (scripts/backup.sh), writes, a noted point in time T, more writes, the primary lost, a point-in-time
# restore to T into a scratch cluster (scripts/restore.sh), then checks on the restored cluster: the writes before T
# are there and those after T are not, `jineng audit verify` and `jineng ledger reconcile` pass. Prints RPO and RTO;
# docs/operations.md records a run. Everything lives in one temporary directory, removed at the end (KEEP=1 keeps it).
#
# Ports: JINENG_DRILL_PORT (primary, default 8147) and +1 (the restored cluster). JINENG_DRILL_SEED=tiny|demo
# (default demo) chooses the data; JINENG_DRILL_ARCHIVE_TIMEOUT (default 60 s) the archive_timeout of the primary.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=${BIN:-$ROOT/.venv/bin}
BINDIR=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
P1=${JINENG_DRILL_PORT:-8147}
P2=$((P1 + 1))
SEED=${JINENG_DRILL_SEED:-demo}
ARCHIVE_TIMEOUT=${JINENG_DRILL_ARCHIVE_TIMEOUT:-60}
WORK=$(mktemp -d /tmp/jineng-drill.XXXXXX)
mkdir -p "$WORK/wal" "$WORK/base" "$WORK/sock"
AS=()
if [ "$(id -u)" = 0 ]; then
  chown -R postgres:postgres "$WORK"
  AS=(runuser -u postgres --)
fi
cleanup() {
  "${AS[@]}" "$BINDIR/pg_ctl" -D "$WORK/primary" -m immediate stop >/dev/null 2>&1 || true
  "${AS[@]}" "$BINDIR/pg_ctl" -D "$WORK/restored" -m immediate stop >/dev/null 2>&1 || true
  [ "${KEEP:-0}" = 1 ] && echo "kept: $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", b-a}'; }
psql1() { "${AS[@]}" "$BINDIR/psql" -h 127.0.0.1 -p "$P1" -U postgres -Atq "$@"; }
psql2() { "${AS[@]}" "$BINDIR/psql" -h 127.0.0.1 -p "$P2" -U postgres -Atq "$@"; }
say() { printf '[drill %s] %s\n' "$(date -u +%T)" "$*"; }

say "primary cluster on 127.0.0.1:$P1 with WAL archiving into $WORK/wal (archive_timeout ${ARCHIVE_TIMEOUT}s)"
"${AS[@]}" "$BINDIR/initdb" -D "$WORK/primary" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${AS[@]}" "$BINDIR/pg_ctl" -D "$WORK/primary" -l "$WORK/primary.log" -w -o "-p $P1 -k $WORK/sock \
  -c listen_addresses=127.0.0.1 -c wal_level=replica -c archive_mode=on -c archive_timeout=$ARCHIVE_TIMEOUT \
  -c archive_command='$ROOT/scripts/wal-archive.sh %p %f $WORK/wal'" start >/dev/null
"${AS[@]}" "$BINDIR/createdb" -h 127.0.0.1 -p "$P1" -U postgres jineng
export DATABASE_URL="postgres://postgres@127.0.0.1:$P1/jineng"
export DJANGO_SETTINGS_MODULE=config.settings.dev PYTHONWARNINGS=ignore

say "migrate and seed ($SEED)"
"$BIN/jineng" migrate --noinput -v0
"$BIN/jineng" seed --scale "$SEED" >/dev/null 2>&1

# Writes through the services: audit entries and a fund allocation (ledger + audit) with a marker memo.
writes() {  # $1 = marker, $2 = how many audit entries
  local out
  out=$("$BIN/jineng" shell -c "
from jineng.accounts.models import Grant, User
from jineng.accounts.roles import Function
from jineng.common.audit.services import audit_record
from jineng.subsidies.services.ledger import allocation_create
finance = Grant.objects.filter(function=Function.FINANCE, region_id='440000', revoked_at__isnull=True)
actor = User.objects.get(pk=finance.values_list('user_id', flat=True).first())  # the province's finance official
for i in range($2):
    audit_record(actor=actor, action='drill.write', object_type='drill', object_id=f'$1-{i}')
allocation_create(actor=actor, fund_source='unemployment_insurance', region_code='440000', amount_fen=123400,
                  memo='$1')
" 2>&1) || { echo "$out" >&2; say "FAILED: writes $1"; exit 1; }
}
counts() {  # audit entries, ledger transactions, allocations per marker
  "$1" -c "SELECT (SELECT count(*) FROM common_auditentry) || ' ' || (SELECT count(*) FROM subsidies_ledgertransaction)
    || ' before=' || (SELECT count(*) FROM subsidies_ledgertransaction WHERE memo = 'drill-before-T')
    || ' after=' || (SELECT count(*) FROM subsidies_ledgertransaction WHERE memo = 'drill-after-T')" jineng
}

say "base backup (scripts/backup.sh)"
t=$(now)
backup=$("${AS[@]}" env PGHOST=127.0.0.1 PGPORT="$P1" PGUSER=postgres "$ROOT/scripts/backup.sh" --dest "$WORK/base")
backup_s=$(secs "$t" "$(now)")
say "  $backup in ${backup_s}s ($(du -sh "$backup/data" | cut -f1))"

say "writes after the backup, then the target time T, then writes after T"
writes drill-before-T 50
at_T=$(counts psql1)
sleep 1
T=$(psql1 -c "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'" postgres)
sleep 1
writes drill-after-T 20
say "  T = $T; at T: audit, ledger transactions, markers = $at_T; now: $(counts psql1)"

# The failure: the primary is lost. What the archive holds at that instant is what can be recovered; the WAL written
# since the last archived segment (at most archive_timeout old) is the data-loss window.
fail_at=$(psql1 -c "SELECT extract(epoch FROM clock_timestamp())" postgres)
last_archived=$(psql1 -c "SELECT coalesce(extract(epoch FROM last_archived_time), 0) FROM pg_stat_archiver" postgres)
lag=$(awk -v a="$last_archived" -v b="$fail_at" 'BEGIN{printf "%.1f", b-a}')
# The drill then closes the current segment so that T itself is in the archive (an operator would wait for
# archive_timeout, or stream WAL with pg_receivewal for a smaller window).
seg=$(psql1 -c "SELECT pg_walfile_name(pg_switch_wal())" postgres)
until [ -f "$WORK/wal/$seg" ]; do sleep 0.2; done
"${AS[@]}" "$BINDIR/pg_ctl" -D "$WORK/primary" -m immediate stop >/dev/null
say "primary lost (WAL archive lag at the failure: ${lag}s; archive_timeout ${ARCHIVE_TIMEOUT}s)"

say "point-in-time restore to T into a scratch cluster on 127.0.0.1:$P2 (scripts/restore.sh)"
t_restore=$(now)
"${AS[@]}" env PG_SOCKDIR="$WORK/sock" "$ROOT/scripts/restore.sh" --base "$backup" --wal "$WORK/wal" \
  --datadir "$WORK/restored" --target-time "$T" --port "$P2"
restored=$(counts psql2)
export DATABASE_URL="postgres://postgres@127.0.0.1:$P2/jineng"
audit_out=$("$BIN/jineng" audit verify 2>&1) || { echo "$audit_out"; say "FAILED: audit verify"; exit 1; }
ledger_out=$("$BIN/jineng" ledger reconcile 2>&1 | tail -n 1) || { echo "$ledger_out"; say "FAILED: ledger"; exit 1; }
rto=$(secs "$t_restore" "$(now)")
say "  restored: $restored"
say "  $audit_out"
say "  $ledger_out"
if [ "$restored" != "$at_T" ]; then
  say "FAILED: the restored cluster holds '$restored', the primary held '$at_T' at T"
  exit 1
fi
say "PASSED: restored to T exactly (writes before T present, after T absent), audit chain and ledger clean"
echo "RESULT seed=$SEED base_backup_s=$backup_s backup_size=$(du -sh "$backup/data" | cut -f1) \
wal_segments=$(ls "$WORK/wal" | wc -l) rpo_archive_lag_s=$lag rpo_bound_s=$ARCHIVE_TIMEOUT rto_s=$rto"

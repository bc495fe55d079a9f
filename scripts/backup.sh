#!/usr/bin/env bash
# Base backup of the PostgreSQL cluster (and, with --media, the stored files), for point-in-time recovery together
# with the WAL archive that archive_command (scripts/wal-archive.sh) fills. See docs/operations.md.
#
#   scripts/backup.sh --dest /var/backups/jineng/base [--media /srv/jineng/var/media]
#
# Connection: the usual libpq variables (PGHOST, PGPORT, PGUSER — a role with REPLICATION); the binaries of the
# newest PostgreSQL in /usr/lib/postgresql unless PG_BINDIR says otherwise. Writes DEST/<UTC stamp>/ holding the
# data directory (plain format, with the WAL it needs to be consistent, -X stream), its manifest checked at once by
# pg_verifybackup, media.tar when asked, and backup.info (start/end time, label, sizes). Prints the backup's path.
set -euo pipefail
BINDIR=${PG_BINDIR:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)}
dest="" media=""
while [ $# -gt 0 ]; do
  case "$1" in
    --dest) dest=$2; shift 2 ;;
    --media) media=$2; shift 2 ;;
    *) echo "usage: backup.sh --dest DIR [--media DIR]" >&2; exit 2 ;;
  esac
done
[ -n "$dest" ] || { echo "backup.sh: --dest is required" >&2; exit 2; }
stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="$dest/$stamp"
mkdir -p "$dest"
started=$(date -u +%FT%TZ); t0=$(date +%s.%N)
"$BINDIR/pg_basebackup" -D "$target/data" -Fp -X stream -c fast -l "jineng $stamp" --manifest-checksums=SHA256 \
  --no-password
"$BINDIR/pg_verifybackup" -q "$target/data"
if [ -n "$media" ]; then
  tar -C "$media" -cf "$target/media.tar" .
fi
ended=$(date -u +%FT%TZ)
{
  echo "label=jineng $stamp"
  echo "started=$started"
  echo "ended=$ended"
  echo "seconds=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')"
  echo "data_bytes=$(du -sb "$target/data" | cut -f1)"
  [ -n "$media" ] && echo "media_bytes=$(stat -c %s "$target/media.tar")"
  true
} >"$target/backup.info"
echo "$target"

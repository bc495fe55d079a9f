#!/usr/bin/env bash
# PostgreSQL's archive_command: copy one finished WAL segment into the archive directory, never overwriting one
# already there (a second copy of the same name with different content is an error the operator must see).
#   archive_command = '/srv/jineng/scripts/wal-archive.sh %p %f /var/backups/jineng/wal'
set -euo pipefail
src=$1 name=$2 dest=$3
if [ -f "$dest/$name" ]; then
  cmp -s "$src" "$dest/$name" && exit 0
  echo "wal-archive: $dest/$name exists with different content" >&2
  exit 1
fi
cp "$src" "$dest/$name.partial"
sync "$dest/$name.partial" 2>/dev/null || true
mv "$dest/$name.partial" "$dest/$name"

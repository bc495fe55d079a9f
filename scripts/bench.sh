#!/usr/bin/env bash
# Run the benchmark suite at a scale: tiny (the smoke test in make test), small (default) or province.
#
#   tiny, small   a throwaway PostgreSQL cluster: the data set is generated, measured, and thrown away.
#   province      a kept cluster in BENCH_PGDATA (default var/pgbench): the first run generates the province
#                 (≈ 2 h, ≈ 70 GB), later runs resume an interrupted generation or go straight to the benchmarks.
#   BENCH_DATABASE_URL=postgres://…   run against that database instead (it keeps the data set between runs).
set -euo pipefail
scale=${1:-small}
cd "$(dirname "$0")/.."
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  DATABASE_URL=$BENCH_DATABASE_URL exec python -m bench --scale "$scale"
elif [ "$scale" = province ]; then
  # Bulk-load settings for the generator (no replication, large maintenance memory for the index builds).
  JINENG_PGDATA=${BENCH_PGDATA:-var/pgbench} JINENG_PG_OPTS="-c shared_buffers=1GB -c max_wal_size=1GB \
-c wal_level=minimal -c max_wal_senders=0 -c maintenance_work_mem=1GB" \
    exec scripts/with-postgres.sh python -m bench --scale "$scale"
else
  exec scripts/with-postgres.sh python -m bench --scale "$scale"
fi

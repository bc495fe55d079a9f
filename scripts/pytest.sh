#!/usr/bin/env bash
# Run the pytest suite: `sqlite` (in-memory), `postgres` (DATABASE_URL from with-postgres.sh), `browser`.
# A run that collects no tests fails loudly (pytest exits 5).
set -euo pipefail
mode=$1; shift || true
export HYPOTHESIS_PROFILE=${HYPOTHESIS_PROFILE:-ci}
case "$mode" in
  sqlite)
    unset DATABASE_URL
    exec pytest -n 2 --dist loadfile -m "not browser" --cov --cov-report=term:skip-covered -q "$@" ;;
  postgres)
    : "${DATABASE_URL:?with-postgres.sh sets DATABASE_URL}"
    exec pytest -n 2 --dist loadfile -m "not browser" -q "$@" ;;
  browser)
    unset DATABASE_URL
    exec pytest -m browser -q -p no:xdist "$@" ;;
  *) echo "usage: pytest.sh sqlite|postgres|browser" >&2; exit 2 ;;
esac

#!/usr/bin/env bash
# Run ADL's xAPI LRS conformance suite (../shared/external/lrs-conformance-test-suite, never edited) against /xapi/
# served by gunicorn on a throwaway SQLite database; prints the suite's pass/fail counts per battery.
# Usage: scripts/lrs-conformance.sh [VERSION...]   (default: 2.0.0 1.0.3). LRS_PORT picks the port (default 8419).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$PWD/.venv/bin
SUITE_SRC=${LRS_SUITE:-$PWD/../shared/external/lrs-conformance-test-suite}
[ -d "$SUITE_SRC" ] || SUITE_SRC=/work/shared/external/lrs-conformance-test-suite
SUITE=$PWD/var/lrs-suite
PORT=${LRS_PORT:-8419}
VERSIONS=("$@"); [ ${#VERSIONS[@]} -gt 0 ] || VERSIONS=(2.0.0 1.0.3)
if [ ! -f "$SUITE/.installed" ]; then
  rm -rf "$SUITE" && mkdir -p var && cp -r "$SUITE_SRC" "$SUITE" && chmod -R u+w "$SUITE"
  (cd "$SUITE" && npm install --no-audit --no-fund --loglevel=error >/dev/null) && touch "$SUITE/.installed"
fi
WORK=$(mktemp -d)
export DJANGO_SETTINGS_MODULE=config.settings.dev DATABASE_URL="sqlite:///$WORK/lrs.sqlite3"
"$BIN/jineng" migrate --noinput -v0
CRED=$("$BIN/jineng" xapi conformance-platform)
SERVER=
trap 'if [ -n "$SERVER" ]; then kill $SERVER 2>/dev/null || true; fi; rm -rf "$WORK"' EXIT
status=0
for version in "${VERSIONS[@]}"; do
  # A request without X-Experience-API-Version is refused; the version its answer names is the battery's own.
  JINENG_XAPI_UNVERSIONED=$version "$BIN/gunicorn" config.wsgi:application --bind "127.0.0.1:$PORT" --workers 1 \
    --log-level warning >>"$WORK/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$PORT/xapi/about" && break; sleep 0.2; done
  out="$WORK/suite-$version.log"
  (cd "$SUITE" && node bin/console_runner.js -e "http://127.0.0.1:$PORT/xapi" -a -u "${CRED% *}" -p "${CRED#* }" \
     -x "$version" -z) >"$out" 2>&1 || status=1
  kill $SERVER; wait $SERVER 2>/dev/null || true; SERVER=
  cp "$out" "var/lrs-conformance-$version.log"
  summary=$(grep -oE '\{"total":[0-9]+,"passed":[0-9]+,"failed":[0-9]+' "$out" | tail -1)
  total=$(sed -E 's/.*"total":([0-9]+).*/\1/' <<<"$summary"); passed=$(sed -E 's/.*"passed":([0-9]+).*/\1/' <<<"$summary")
  failed=$(sed -E 's/.*"failed":([0-9]+).*/\1/' <<<"$summary")
  echo "xAPI $version conformance: $passed of $total passed, $failed failed (log var/lrs-conformance-$version.log)"
  if [ -z "$summary" ] || [ "$passed" != "$total" ]; then status=1; grep -A3 -E '^\s+[0-9]+\) ' "$out" | head -60; fi
done
exit $status

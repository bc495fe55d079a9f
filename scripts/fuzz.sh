#!/usr/bin/env bash
# The fuzzing stage: schemathesis (stateless, every check) over the whole OpenAPI document, against a server on a
# throwaway SQLite database with the demo data, as four callers: a province official, a county official, a provider
# staff member and anonymous. Any 5xx or any answer that breaks the published schema fails the stage.
#
# Settings and the one custom check: scripts/fuzz/schemathesis.toml and scripts/fuzz/hooks.py (read them for why).
# Knobs (environment): FUZZ_PORT (8121), FUZZ_EXAMPLES (examples per operation and caller), FUZZ_PHASES, FUZZ_WORKERS,
# FUZZ_SEED (fixed so that a failure reproduces; set it empty for a random run), FUZZ_ROLES (which callers),
# FUZZ_KEEP=1 keeps the work folder (database, server log, JUnit reports).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BIN=$ROOT/.venv/bin
PORT=${FUZZ_PORT:-8121}
EXAMPLES=${FUZZ_EXAMPLES:-5}
# The coverage phase (schemathesis' deterministic sweep of boundaries: huge pages, far dates, missing fields, other
# methods) is the costly one; it runs for the province caller, who reaches every operation, and random fuzzing runs for
# all four. FUZZ_PHASES overrides both.
COVERAGE_PHASES=${FUZZ_PHASES:-examples,coverage,fuzzing}
PHASES=${FUZZ_PHASES:-examples,fuzzing}
ROLES=${FUZZ_ROLES:-province county provider anonymous}
WORKERS=${FUZZ_WORKERS:-2}
SEED=${FUZZ_SEED-20261207}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/jineng-fuzz.XXXXXX")
export DJANGO_SETTINGS_MODULE=config.settings.dev
export DATABASE_URL="sqlite:///$WORK/fuzz.sqlite3"
SERVER=""
cleanup() {
  if [[ -n "$SERVER" ]]; then kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; fi
  if [[ "${FUZZ_KEEP:-0}" != 1 ]]; then rm -rf "$WORK"; else echo "fuzz work folder kept: $WORK"; fi
}
trap cleanup EXIT INT TERM

echo "fuzz: demo data on a throwaway database ($WORK)"
"$BIN/jineng" migrate --noinput -v0
"$BIN/jineng" seed --scale demo >"$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log"; exit 1; }
token() { "$BIN/jineng" token create "$1" --label fuzz | tail -n 1; }
PROVINCE=$(token demo-province)
COUNTY=$(token demo-county)
PROVIDER=$(token demo-provider)

# --limit-request-line above the API's own 4096 (ApiErrorFormatMiddleware answers 414 in the one JSON format).
"$BIN/gunicorn" config.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --timeout 60 --limit-request-line 8190 \
  --log-level warning >"$WORK/server.log" 2>&1 &
SERVER=$!
SCHEMA="http://127.0.0.1:$PORT/api/v1/openapi.json"
for _ in $(seq 1 60); do
  "$BIN/python" -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)" "$SCHEMA" \
    2>/dev/null && break
  sleep 0.5
done

# Excluded by name, and only these: the endpoint that revokes the caller's own token would end the run's session.
EXCLUDE=(--exclude-path "/api/v1/tokens/{token_id}/revoke")
status=0
run() {
  local who=$1 phases=$2; shift 2
  echo
  echo "fuzz: as $who"
  local seed_args=()
  [[ -n "$SEED" ]] && seed_args=(--seed "$SEED")
  # From the work folder: schemathesis keeps its crash cache (.schemathesis/) in the current directory.
  (cd "$WORK" && SCHEMATHESIS_HOOKS=hooks PYTHONPATH="$ROOT/scripts/fuzz" \
    "$BIN/schemathesis" --config-file "$ROOT/scripts/fuzz/schemathesis.toml" run "$SCHEMA" --checks all --phases "$phases" \
    --max-examples "$EXAMPLES" --workers "$WORKERS" "${seed_args[@]}" --generation-database none \
    --request-timeout 60 --max-response-time 30 --no-color --output-truncate true "${EXCLUDE[@]}" \
    --report junit --report-junit-path "$WORK/junit-$who.xml" "$@") || status=1
}
for role in $ROLES; do
  case "$role" in
    province) run province "$COVERAGE_PHASES" -H "Authorization: Bearer $PROVINCE" ;;
    county) run county "$PHASES" -H "Authorization: Bearer $COUNTY" ;;
    provider) run provider "$PHASES" -H "Authorization: Bearer $PROVIDER" ;;
    anonymous) run anonymous "$PHASES" ;;
  esac
done
# A 5xx is caught by the checks above; an error logged without one (a failure swallowed into a 4xx) shows here.
if grep -q '"level": "ERROR"\|Traceback' "$WORK/server.log"; then
  echo "fuzz: the server logged errors:"
  grep '"level": "ERROR"\|Traceback' "$WORK/server.log" | head -20
  status=1
fi
exit $status

#!/usr/bin/env bash
# Serve the platform (gunicorn, WSGI, 2 workers) with a job worker beside it; Ctrl-C stops both.
set -euo pipefail
PORT=${PORT:-8000}
BIN=.venv/bin
"$BIN/jineng" db_worker --queue-name default --interval 1 >var/worker.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null || true' EXIT INT TERM
# Indicator roll-ups stay fresh: a self-re-queuing job on the worker picks up changed records every 30 s.
"$BIN/jineng" indicators schedule >/dev/null 2>&1 || echo "warning: could not schedule the indicator freshness job"
cat <<MSG

Jineng is being served at http://127.0.0.1:$PORT  (job worker pid $WORKER, log var/worker.log)
Demo accounts, all with password Jineng-demo-2026:
  officials    demo-province (440000), demo-reviewer (440000, 复审), demo-finance (440000, 财务),
               demo-city (440100), demo-shenzhen (440300), demo-county (440106), demo-county2 (440104),
               demo-futian (440304), demo-inspector (监管检查员)
  organizations demo-provider, demo-provider-sz, demo-platform (线上平台), demo-enterprise, demo-evaluator
  worker       demo-worker
  admins       admin, demo-security (安全管理员), demo-auditor (审计管理员)
Sign-in asks for a one-time code: .venv/bin/jineng otp code USER
Press Ctrl-C to stop.

MSG
"$BIN/gunicorn" config.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --access-logfile - --log-level warning

#!/usr/bin/env bash
# Serve the platform (gunicorn, WSGI, 2 workers) with a job worker beside it; Ctrl-C stops both.
set -euo pipefail
PORT=${PORT:-8000}
BIN=.venv/bin
"$BIN/jineng" db_worker --queue-name default --interval 1 >var/worker.log 2>&1 &
WORKER=$!
IDP_PID=
trap 'kill $WORKER $IDP_PID 2>/dev/null || true' EXIT INT TERM
# Unified identity (统一身份认证): without a configured provider, the demo one (idp/) is started beside the app.
if [ -z "${JINENG_OIDC_ISSUER:-}" ]; then
  eval "$(PORT=$PORT IDP_PORT=${IDP_PORT:-8400} scripts/idp.sh)"
  [ -n "${IDP_PID:-}" ] && "$BIN/jineng" oidc link demo-city chenjing >/dev/null  # the demo official's identity
fi
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
MSG
if [ -n "${IDP_PID:-}" ]; then cat <<MSG
Unified identity (统一身份认证): the demo provider runs at $JINENG_OIDC_ISSUER (pid $IDP_PID, log var/idp.log).
  On the login page choose 使用统一身份认证登录, then sign in at the provider with password Jineng-demo-2026 as
  liming    李明, demo-worker's person: lands on the worker's home
  wangfang  王芳, in the registry without an account: the first sign-in creates it
  zhaolei   赵磊, in no registry record: offered registration
  chenjing  陈静, an official linked to demo-city (then the one-time code of demo-city)
MSG
fi
cat <<MSG
Press Ctrl-C to stop.

MSG
"$BIN/gunicorn" config.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --access-logfile - --log-level warning

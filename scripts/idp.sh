#!/usr/bin/env bash
# Start the demo identity provider (idp/server.mjs: the npm package oidc-provider with idp/identities.json) on
# 127.0.0.1:IDP_PORT for an app on 127.0.0.1:PORT, wait until it answers, and print the environment the app needs:
#   eval "$(scripts/idp.sh)"      → JINENG_OIDC_ISSUER, JINENG_OIDC_CLIENT_ID, JINENG_OIDC_CLIENT_SECRET, IDP_PID
# Its log goes to var/idp.log. Demo and tests only: a deployment points JINENG_OIDC_ISSUER at the province's provider.
set -euo pipefail
PORT=${PORT:-8000}
IDP_PORT=${IDP_PORT:-8400}
cd "$(dirname "$0")/.."
command -v node >/dev/null || { echo "echo 'node is missing: the demo identity provider is not started' >&2"; exit 0; }
[ -d idp/node_modules/oidc-provider ] || (cd idp && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2)
mkdir -p var
export JINENG_IDP_PORT=$IDP_PORT JINENG_IDP_CLIENT_ID=jineng JINENG_IDP_CLIENT_SECRET=jineng-demo-secret
export JINENG_IDP_REDIRECT_URIS="http://127.0.0.1:$PORT/auth/oidc/callback,http://localhost:$PORT/auth/oidc/callback"
node idp/server.mjs >var/idp.log 2>&1 &
pid=$!
for _ in $(seq 1 100); do
  grep -q "jineng-idp ready" var/idp.log 2>/dev/null && break
  kill -0 "$pid" 2>/dev/null || { echo "the identity provider did not start (var/idp.log):" >&2; cat var/idp.log >&2; exit 1; }
  sleep 0.2
done
grep -q "jineng-idp ready" var/idp.log || { echo "the identity provider did not answer in 20 s (var/idp.log)" >&2; exit 1; }
cat <<ENV
export JINENG_OIDC_ISSUER=http://127.0.0.1:$IDP_PORT JINENG_OIDC_CLIENT_ID=jineng JINENG_OIDC_CLIENT_SECRET=jineng-demo-secret
IDP_PID=$pid
ENV

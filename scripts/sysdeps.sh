#!/usr/bin/env bash
# The tests need PostgreSQL (a throwaway cluster), Debian's Chromium for Playwright, and CJK fonts
# (noto for screenshots; wqy-zenhei is a TrueType font ReportLab can embed in PDFs).
set -euo pipefail
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)
[ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || need+=(fonts-wqy-zenhei)
command -v wrk >/dev/null || need+=(wrk)  # the HTTP load generator of the verification benchmark
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  "$(dirname "$0")/apt.sh" "${need[@]}"
else
  echo "all present"
fi

#!/usr/bin/env bash
# Run one stage of a make target and print how long it took.
set -uo pipefail
name=$1; shift
start=$(date +%s)
printf '\n==> %s\n' "$name"
"$@"
rc=$?
printf '<== %s: %ss (exit %s)\n' "$name" "$(( $(date +%s) - start ))" "$rc"
exit $rc

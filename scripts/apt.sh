#!/usr/bin/env bash
# Install Debian packages (as root, or through sudo), updating the package lists once.
set -euo pipefail
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
stamp=/tmp/.jineng-apt-updated
if [ ! -e "$stamp" ]; then
  $SUDO apt-get update -qq
  touch "$stamp"
fi
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null

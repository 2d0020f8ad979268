#!/usr/bin/env bash
# System packages ris3 needs beyond PyPI: headless Chromium for the report's
# browser test, and Java (already on the image) for the Spark engine.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian chromium for the report's browser test..."
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Note: /usr/bin/chromium not found; browser tests will be skipped (install Debian's chromium)." >&2
  fi
fi

#!/usr/bin/env bash
# System packages ris3 needs beyond PyPI: headless Chromium for the report's
# browser test, axe-core (npm) for the workspace's accessibility test, and Java
# (already on the image) for the Spark engine.
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
# axe-core (the npm package, pinned to major 4) for the workspace's accessibility test;
# installed into .axe/ (git-ignored) so no page ever loads it from a CDN
if [ ! -f .axe/node_modules/axe-core/axe.min.js ]; then
  if ! command -v npm >/dev/null && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian npm for the workspace's accessibility test..."
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
  fi
  if command -v npm >/dev/null; then
    npm install --prefix .axe --no-audit --no-fund --silent axe-core@4
  else
    echo "Note: npm not found; the workspace's accessibility test will be skipped." >&2
  fi
fi

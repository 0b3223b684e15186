#!/usr/bin/env bash
# The core journey in Firefox ESR and WebKitGTK (Safari's engine), besides the Chromium
# suite: create a desk, add a pupil, lock and unlock, reload, attach a file and download and
# open it, change the passphrase. Installs what it needs on Debian (firefox-esr,
# webkit2gtk-driver, xvfb, and the npm dev dependencies puppeteer-core and selenium-webdriver)
# only if missing, serves dist/ (built if absent) on port 4744 (ENGINES_PORT), and prints
# PASS/FAIL per step per engine.
# Usage: scripts/engines.sh [firefox] [webkit]   (both if none named)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

missing=()
command -v firefox-esr >/dev/null || missing+=(firefox-esr)
command -v WebKitWebDriver >/dev/null || missing+=(webkit2gtk-driver)
command -v xvfb-run >/dev/null || missing+=(xvfb)
if ((${#missing[@]})); then
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update
  $sudo apt-get install -y "${missing[@]}"
fi
if [ ! -d node_modules/puppeteer-core ] || [ ! -d node_modules/selenium-webdriver ]; then
  # The browsers are the Debian ones above: puppeteer must not download its own.
  PUPPETEER_SKIP_DOWNLOAD=1 npm ci
fi
[ -f dist/index.html ] || scripts/build.sh

port="${ENGINES_PORT:-4744}"
node scripts/serve-dist.js dist "$port" >/dev/null &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  curl -sf "http://127.0.0.1:$port/" >/dev/null && break
  sleep 0.1
done
# MiniBrowser has no headless mode: it gets a virtual X display.
xvfb-run -a --server-args="-screen 0 1280x1024x24" node tests/engines/journey.mjs "http://127.0.0.1:$port/" "$@"

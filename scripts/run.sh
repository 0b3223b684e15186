#!/usr/bin/env bash
# README's run command: installs what is missing, builds, and serves the app on
# http://127.0.0.1:8080 (Ctrl+C to stop).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
trunk serve --release --address 127.0.0.1 --port 8080

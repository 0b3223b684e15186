#!/usr/bin/env bash
# Builds the release app into dist/ (static files: copy them to any web host).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
trunk build --release

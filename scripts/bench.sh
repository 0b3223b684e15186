#!/usr/bin/env bash
# README's benchmark command (not part of the tests): builds the release, generates a large
# and a small fictional school, loads them in headless Chromium and prints the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
scripts/build.sh
cargo run --quiet --release --bin senco-desk-gen -- --pupils 2000 --sen 400 --out bench/out/large
cargo run --quiet --release --bin senco-desk-gen -- --pupils 20 --sen 4 --out bench/out/small
node bench/run.js

#!/usr/bin/env bash
# README's benchmark command (not part of the tests): builds the release, generates a large
# fictional school (2,000 pupils, 400 with SEN history) and a small one (20 pupils), loads
# them in headless Chromium and prints a table and JSON; the JSON is also written to
# bench/out/results.json. Takes two to three minutes after the first build.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
scripts/build.sh
cargo build --quiet --release --locked --bin senco-desk-gen
target/release/senco-desk-gen --pupils 2000 --sen 400 --out bench/out/large
target/release/senco-desk-gen --pupils 20 --sen 4 --out bench/out/small
node bench/run.js

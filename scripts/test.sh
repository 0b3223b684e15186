#!/usr/bin/env bash
# README's test command: installs what the tests need, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver
step() { printf '\n==> %s\n' "$*"; }

step "Formatting"
cargo fmt --all --check
step "Clippy (native)"
cargo clippy --all-targets --locked -- -D warnings
step "Clippy (wasm32)"
cargo clippy --lib --bins --tests --target wasm32-unknown-unknown --locked -- -D warnings
step "Native tests"
cargo test --locked
step "Browser tests (wasm-bindgen-test in headless Chromium)"
cargo test --target wasm32-unknown-unknown --locked --test browser
step "Release build"
scripts/build.sh
step "Static server and host headers (node --test)"
node --test tests/server.test.mjs tests/headers.test.mjs
step "End-to-end journeys (Playwright with axe)"
npx playwright test
step "All tests passed"

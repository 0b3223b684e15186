#!/usr/bin/env bash
# Installs whatever is missing to build (and, with --test, to test) Senco Desk.
# Idempotent, and quick when everything is already there. Works without a terminal (CI).
set -euo pipefail
cd "$(dirname "$0")/.."

want_test_tools=false
[[ "${1:-}" == "--test" ]] && want_test_tools=true

export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
say() { printf '\n==> %s\n' "$*"; }

command -v cargo >/dev/null || { echo "Rust is needed: install rustup from https://rustup.rs first." >&2; exit 1; }
command -v npm >/dev/null || { echo "Node.js and npm are needed (Node 20 or later)." >&2; exit 1; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "Adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    say "Adding $component"
    rustup component add "$component"
  fi
done

if ! trunk --version 2>/dev/null | grep -q '0\.21\.14'; then
  say "Installing Trunk 0.21.14 (about ten minutes, once)"
  cargo install trunk --version 0.21.14 --locked
fi

# The CLI must match the wasm-bindgen crate in Cargo.lock exactly.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if ! wasm-bindgen --version 2>/dev/null | grep -q " $bindgen_version\$"; then
  say "Installing wasm-bindgen-cli $bindgen_version"
  # Not --locked: one locked dependency of the CLI is missing from crates.io.
  cargo install wasm-bindgen-cli --version "$bindgen_version" --force
fi

# npm packages: wasm-opt (binaryen) for the build, Playwright and axe for the tests.
if [[ ! -x node_modules/.bin/wasm-opt || ! -d node_modules/@playwright/test || package-lock.json -nt node_modules/.package-lock.json ]]; then
  say "Installing npm packages"
  npm ci --no-audit --no-fund
fi

if $want_test_tools && { [[ ! -x /usr/bin/chromium ]] || [[ ! -x /usr/bin/chromedriver ]]; }; then
  say "Installing Chromium and ChromeDriver from Debian"
  sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y --no-install-recommends chromium chromium-driver
fi

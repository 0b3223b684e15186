#!/usr/bin/env bash
# README's benchmark command (not part of the tests): builds the release, generates a large
# fictional school (2,000 pupils, 400 with SEN history) and a small one (20 pupils), loads
# them in headless Chromium and prints a table and JSON; the JSON is also written to
# bench/out/results.json.
#
# bench/out/large and bench/out/small have no support plans (--plan-terms 0), so their
# figures compare with earlier runs. bench/out/large-plans is the same school with five
# years of termly plans for each SEN pupil and (issue 15) five years of provision, 60
# provisions a year of 2 to 8 pupils with their sessions and measures (about a minute to
# generate): the issue-14 desk, which the bench fills with 200 attached files of 1 to 5 MB through the app's own
# form (about 1 GB of disk in bench/out/profiles while it runs; BENCH_FILES=N attaches fewer).
# The generator writes each desk as the 0.4 app left it in localStorage; the app moves it
# into IndexedDB at its first start in a fresh browser profile, and everything after that is
# measured on IndexedDB. BENCH_ONLY=plans,desks,register,import,provision,home,ehc runs only those parts.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"
scripts/build.sh
cargo build --quiet --release --locked --bin senco-desk-gen
target/release/senco-desk-gen --pupils 2000 --sen 400 --plan-terms 0 --out bench/out/large
target/release/senco-desk-gen --pupils 2000 --sen 400 --provisions 1 --out bench/out/large-plans
target/release/senco-desk-gen --pupils 20 --sen 4 --plan-terms 0 --out bench/out/small
# Issue 17: five years of contacts (15 a year per SEN pupil) and referrals; too large for
# localStorage, so measured natively by the generator (bench/run.js prints its figures).
target/release/senco-desk-gen --pupils 2000 --sen 400 --contacts 15 --out bench/out/large-log
node bench/run.js

#!/usr/bin/env bash
# Runs the adopter suite (tests/bdd.rs) in cucumber's run modes and checks
# each outcome: exit status and summary lines. Called by `scripts/check bdd`.
#
# Builds with the workspace's Cargo.lock and target directory
# (CARGO_TARGET_DIR, `target/` by default), so the dependencies the workspace
# compiled are reused.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cp "$root/Cargo.lock" "$here/Cargo.lock"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
manifest="$here/Cargo.toml"
out=$(mktemp)
trap 'rm -f "$out"' EXIT
failures=0

cargo test -q --manifest-path "$manifest" --test bdd --no-run

# expect CODE NEEDLE... -- ARGS: runs the suite with ARGS, requires exit status
# CODE and every NEEDLE in its output.
expect() {
  local code=$1; shift
  local needles=()
  while [ "$1" != -- ]; do needles+=("$1"); shift; done
  shift
  local got=0
  (cd "$here" && cargo test -q --manifest-path "$manifest" --test bdd -- "$@") >"$out" 2>&1 || got=$?
  local ok=1
  [ "$got" = "$code" ] || ok=0
  for n in "${needles[@]}"; do grep -qF -- "$n" "$out" || ok=0; done
  if [ $ok = 1 ]; then
    echo "ok: bdd $* -> exit $got"
  else
    echo "FAILED: bdd $* -> exit $got (wanted $code and: ${needles[*]})"
    cat "$out"
    failures=$((failures + 1))
  fi
}

# expect_not NEEDLE: the last run's output must not contain NEEDLE.
expect_not() {
  if grep -qF -- "$1" "$out"; then
    echo "FAILED: the last run printed '$1'"
    cat "$out"
    failures=$((failures + 1))
  fi
}

# The suite as it is: its open bugs are expected failures, the run is green.
expect 0 "scenarios: 4 passed, 2 xfailed" "Then the store is unchanged [xfail]" --
# A capture runs once under --retry, and every scenario is counted.
expect 0 "scenarios: 4 passed, 2 xfailed" -- --retry 2
expect_not "Retry attempt"
# --fail-fast stops at a capture's real failure: the run must not be green.
expect 1 "--fail-fast stopped the run at the expected failure of bug #1" \
  "1 of 2 scenarios did not run" -- --fail-fast --concurrency 1 --input 'failfast/*.feature'
# Without --fail-fast the regression runs and fails.
expect 1 "scenarios: 1 failed, 1 xfailed" -- --concurrency 1 --input 'failfast/*.feature'
# --input reads other files, and they are the ones checked and run.
expect 0 "Feature: Read only through --input" "scenarios: 1 passed, 1 xfailed" -- \
  --input 'other/*.feature'
# --tags selects; a broken tag outside the selection still fails the run.
expect 0 "scenarios: 1 passed" -- --tags @smoke
expect 1 "broken/broken.feature:12: \`@tdd_expect_fail\` is not a TDD tag" -- \
  --tags @smoke --input 'broken/*.feature'
expect_not "Scenario: selected by --tags @smoke"
# --runxfail shows the captures' real failures.
expect 1 "scenarios: 4 passed, 2 failed" -- --runxfail

[ "$failures" = 0 ] || { echo "$failures adopter check(s) failed"; exit 1; }

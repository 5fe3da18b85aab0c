#!/usr/bin/env bash
# `make bench`: every benchmark in bench/*/run.sh, in turn, against the release build.
# Benchmarks print ratios against a peer measured in the same run; they are not pass/fail.
set -uo pipefail
cd "$(dirname "$0")/.."
export RUNNER_BIN=${RUNNER_BIN:-$PWD/.build/release/runner}
status=0
for bench in bench/*/run.sh; do
  # Fuzzing runs for minutes on its own: `bash bench/fuzz/run.sh` (FUZZ_SECONDS, default 600).
  [ "$bench" = bench/fuzz/run.sh ] && continue
  echo "== $bench"
  bash "$bench" || status=1
  echo
done
exit $status

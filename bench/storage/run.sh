#!/usr/bin/env bash
# Storage benchmarks, side by side in one run against one moto server on 127.0.0.1 (started here,
# stopped on exit): upload and download of a 1 GiB file (runner vs `aws s3 cp`), and listing
# 10,000 keys (runner vs `aws s3api list-objects-v2` paging, and vs a bare unsigned page loop).
# Prints medians of RUNS runs (default 3) and the ratios. Needs a release build:
#   swift build -c release   (or RUNNER_BIN=path/to/runner)
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNNER_BIN=${RUNNER_BIN:-.build/release/runner}
RUNS=${RUNS:-3}
SIZE_MIB=${SIZE_MIB:-1024}
KEYS=${KEYS:-10000}
here=bench/storage
[ -x "$RUNNER_BIN" ] || { echo "no runner at $RUNNER_BIN; run swift build -c release or set RUNNER_BIN" >&2; exit 2; }

work=$(mktemp -d -t runner-bench-storage.XXXXXX)
moto_pid=""
cleanup() {
  [ -n "$moto_pid" ] && kill "$moto_pid" 2>/dev/null && wait "$moto_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
moto_pid=$!
endpoint="http://127.0.0.1:$port"
until curl -s -o /dev/null "$endpoint/moto-api/"; do sleep 0.1; done

export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret AWS_DEFAULT_REGION=us-east-1 AWS_PAGER=""
aws --endpoint-url "$endpoint" s3 mb s3://bench >/dev/null

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# measure NAME COMMAND...: appends "seconds rss_mb" to $work/NAME.
measure() {
  local name=$1
  shift
  python3 "$here/measure.py" "$@" >>"$work/$name"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
col() { awk -v c="$2" '{ print $c }' "$work/$1" | median; }

echo "file: $SIZE_MIB MiB random; keys: $KEYS; runs: $RUNS; endpoint $endpoint"
head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom >"$work/big.bin"
python3 "$here/populate.py" "$endpoint" bench list/ "$KEYS"

for run in $(seq "$RUNS"); do
  # Alternate who goes first so page-cache and server warm-up favour neither.
  if [ $((run % 2)) -eq 1 ]; then order="runner aws"; else order="aws runner"; fi
  for who in $order; do
    if [ "$who" = runner ]; then
      measure up-runner "$RUNNER_BIN" storage cp "$work/big.bin" s3://bench/up-runner.bin --endpoint-url "$endpoint"
      measure down-runner "$RUNNER_BIN" storage cp s3://bench/up-runner.bin "$work/down-runner.bin" --endpoint-url "$endpoint"
      measure list-runner "$RUNNER_BIN" frames s3://bench/list/ --endpoint-url "$endpoint"
    else
      measure up-aws aws --endpoint-url "$endpoint" s3 cp --quiet "$work/big.bin" s3://bench/up-aws.bin
      measure down-aws aws --endpoint-url "$endpoint" s3 cp --quiet s3://bench/up-aws.bin "$work/down-aws.bin"
      measure list-aws aws --endpoint-url "$endpoint" s3api list-objects-v2 --bucket bench --prefix list/
    fi
  done
  measure list-bare bash "$here/bare-list.sh" "$endpoint" bench list/
  cmp -s "$work/big.bin" "$work/down-runner.bin" || { echo "runner's download differs from the file" >&2; exit 1; }
  cmp -s "$work/big.bin" "$work/down-aws.bin" || { echo "aws's download differs from the file" >&2; exit 1; }
  rm -f "$work/down-runner.bin" "$work/down-aws.bin"
done
listed=$("$RUNNER_BIN" frames s3://bench/list/ --endpoint-url "$endpoint" | wc -l)
[ "$listed" -eq "$KEYS" ] || { echo "runner listed $listed keys, expected $KEYS" >&2; exit 1; }

printf '%-22s %10s %10s %8s %s\n' measure runner peer ratio target
for op in up down; do
  r=$(col "$op-runner" 1) a=$(col "$op-aws" 1)
  printf '%-22s %9ss %9ss %8s %s\n' "$op ${SIZE_MIB} MiB vs aws s3 cp" "$r" "$a" "$(ratio "$r" "$a")" "<= 1.0"
  printf '%-22s %8s MB %10s %8s %s\n' "  runner peak RSS" "$(col "$op-runner" 2)" "" "" "< 128 MB"
done
r=$(col list-runner 1) a=$(col list-aws 1) b=$(col list-bare 1)
printf '%-22s %9ss %9ss %8s %s\n' "list $KEYS vs aws s3api" "$r" "$a" "$(ratio "$r" "$a")" "<= 0.8"
printf '%-22s %9ss %9ss %8s %s\n' "list $KEYS vs bare curl" "$r" "$b" "$(ratio "$r" "$b")" "<= 1.15"

# First-request latency per credential source, beside the AWS CLI (its own servers, started and stopped there).
bash "$here/credentials.sh"

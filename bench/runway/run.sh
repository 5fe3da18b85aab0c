#!/usr/bin/env bash
# Runway client figures, against the Runway double on 127.0.0.1 (started here, stopped on exit):
#  1. client CPU per task: 100 clips at zero generation time (pre-made clips), 10 in flight;
#  2. polls per task: 5 clips of 1.0 s generation polled every 0.25 s, against ceil(1.0 / 0.25) + 2.
# Side by side for context: the official Python SDK doing the same work in the same run.
set -euo pipefail
cd "$(dirname "$0")/../.."
runner=${RUNNER_BIN:-.build/release/runner}
[ -x "$runner" ] || { echo "build first: swift build -c release (or make bench)"; exit 1; }
work=$(mktemp -d)
source scripts/test-servers/runway-double.sh
trap 'runner_runway_double_stop; rm -rf "$work"' EXIT

tenant() { # CONFIG-JSON -> a fresh tenant's key
  curl -s -X POST -H 'Content-Type: application/json' -d "$1" "$RUNNER_TEST_RUNWAY_URL/__double__/tenants" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["key"])'
}
stats() { curl -s -H "Authorization: Bearer $1" "$RUNNER_TEST_RUNWAY_URL/__double__/stats"; }

frames=()
for i in $(seq -w 1 100); do cp examples/frames/frame_05_spiral.jpg "$work/frame_$i.jpg"; frames+=("$work/frame_$i.jpg"); done

key=$(tenant '{"generationSeconds": 0, "pendingSeconds": 0, "precomputedClips": true, "concurrencyLimit": 100}')
echo "1. client CPU per task, 100 tasks, 10 in flight, zero generation time:"
RUNWAYML_API_SECRET=$key RUNWAYML_BASE_URL=$RUNNER_TEST_RUNWAY_URL \
  "$runner" runway "${frames[@]}" -o "$work/clips" --concurrency 10 --poll-interval 20ms --prompt bench 2>"$work/progress.log" | tail -1
stats "$key" | python3 -c 'import json, sys; s = json.load(sys.stdin); print("requests:", s["requests"], "polls per task (mean):", s["pollsTotal"] / max(s["tasksCreated"], 1))'
key=$(tenant '{"generationSeconds": 0, "pendingSeconds": 0, "precomputedClips": true, "concurrencyLimit": 100}')
RUNWAYML_API_SECRET=$key RUNWAYML_BASE_URL=$RUNNER_TEST_RUNWAY_URL python3 bench/runway/sdk_peer.py "$work/clips-sdk" 10 "${frames[@]}"

echo
echo "2. polls per task, 1.0 s generation, 0.25 s interval, nothing throttled (bound: ceil(1.0/0.25) + 2 = 6):"
key=$(tenant '{"generationSeconds": 1.0, "pendingSeconds": 0, "precomputedClips": true, "concurrencyLimit": 10}')
RUNWAYML_API_SECRET=$key RUNWAYML_BASE_URL=$RUNNER_TEST_RUNWAY_URL \
  "$runner" runway "${frames[@]:0:5}" -o "$work/clips2" --concurrency 5 --poll-interval 250ms --prompt bench 2>"$work/progress.log" | tail -1
stats "$key" | python3 -c 'import json, sys; p = json.load(sys.stdin)["polls"]; print("polls per task:", sorted(p.values()), "max", max(p.values()))'

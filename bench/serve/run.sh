#!/usr/bin/env bash
# `runner serve` under load, against moto and the Runway double (started here, stopped on exit), with the release
# binary. Two figures, each beside its peer in the same run:
#  1. list_frames: 200 concurrent connections (wrk -c200, bench/serve/list_frames.lua) asking for one user's 40
#     frames for DURATION seconds: p50/p99 latency and requests per second; beside it, the same listing by
#     `runner frames s3://.../reference-frames/USER/` (a process per listing, one after another, RUNS_CLI times):
#     its p50/p99. Ratios: server p50 / runner frames p50, and the same for p99.
#  2. generate_videos: 50 users with 4 distinct frames each call generate_videos at once (bench/serve/generate.py),
#     each waiting for its run as the original app did; one Runway account (one key, a tenant of the double) limited
#     to 5 tasks at once, TASK seconds per task, no PENDING time, pre-made clips. Ideal: ceil(200 / 5) x TASK.
#     Printed: the makespan (first request sent to last answer) over the ideal (target <= 1.10), the peak of tasks
#     in flight the double saw (THROTTLED included; must never pass 5), and the server's memory (peak RSS).
# Usage: bench/serve/run.sh     (uses ${RUNNER_BIN:-.build/release/runner})
#        USERS=20 TASK=2 DURATION=20 bench/serve/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNNER=${RUNNER_BIN:-.build/release/runner}
USERS=${USERS:-50} FRAMES_PER_USER=4 LIMIT=5 TASK=${TASK:-1.0} DURATION=${DURATION:-10} RUNS_CLI=${RUNS_CLI:-30}
LISTED=40 CONNECTIONS=200 BUCKET=bench-media
[[ -x "$RUNNER" ]] || { echo "error: $RUNNER is not built (run: make release, or set RUNNER_BIN)" >&2; exit 2; }
for tool in wrk ffmpeg aws curl; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed (run: make setup)" >&2; exit 2; }
done
RUNNER=$(cd "$(dirname "$RUNNER")" && pwd)/$(basename "$RUNNER")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/serve-bench.XXXXXX")
for server in scripts/test-servers/moto.sh scripts/test-servers/runway-double.sh; do
  # shellcheck source=/dev/null
  source "$server"
done
server_pid= sampler_pid=
stop_all() {
  for pid in $sampler_pid $server_pid; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$WORK"
}
previous_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
# shellcheck disable=SC2064
trap "stop_all; $previous_trap" EXIT

export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret AWS_REGION=us-east-1 AWS_PAGER=""
export AWS_ENDPOINT_URL=$RUNNER_TEST_S3_ENDPOINT
CONFIG="{\"concurrencyLimit\": $LIMIT, \"generationSeconds\": $TASK, \"pendingSeconds\": 0, \"precomputedClips\": true}"
key=$(curl -sf -X POST -H 'Content-Type: application/json' -d "$CONFIG" "$RUNNER_TEST_RUNWAY_URL/__double__/tenants" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["key"])')
export RUNWAYML_BASE_URL=$RUNNER_TEST_RUNWAY_URL RUNWAYML_API_SECRET=$key

# Frames: USERS x 4 distinct small JPEGs (a content-keyed runner would make one clip of identical frames), and one
# user with 40 for the listing.
total=$((USERS * FRAMES_PER_USER))
mkdir -p "$WORK/made" "$WORK/upload/reference-frames/lister"
ffmpeg -nostdin -v error -f lavfi -i "testsrc2=size=640x360:rate=1" -frames:v "$total" -q:v 5 "$WORK/made/f_%04d.jpg"
for ((u = 1; u <= USERS; u++)); do
  user=$(printf 'bench%02d' "$u")
  mkdir -p "$WORK/upload/reference-frames/$user"
  for ((f = 1; f <= FRAMES_PER_USER; f++)); do
    mv "$WORK/made/$(printf 'f_%04d.jpg' $(((u - 1) * FRAMES_PER_USER + f)))" "$WORK/upload/reference-frames/$user/frame_$f.jpg"
  done
done
ffmpeg -nostdin -v error -f lavfi -i "testsrc2=size=320x180:rate=1" -frames:v "$LISTED" -q:v 8 \
  "$WORK/upload/reference-frames/lister/frame_%02d.jpg"
aws s3 mb "s3://$BUCKET" >/dev/null
aws s3 cp --recursive --quiet "$WORK/upload" "s3://$BUCKET/"

# The template: the original layout, Gen-4 Turbo clips of 5 s, the film merged and published; no concurrency
# written, so each run takes the account's limit read from the organization (5), shared by all runs of the key.
cat >"$WORK/serve.yaml" <<EOF
version: 1
name: serve-bench
session: \${vars.session}
vars:
  user: nobody
  session: first
  prompt: bench
providers:
  runway:
    type: runway
    apiKey: \${env:RUNWAYML_API_SECRET}
    pollInterval: 100ms
state: s3://$BUCKET/runner-state/\${vars.user}/
stages:
  frames: { type: frames, from: "s3://$BUCKET/reference-frames/\${vars.user}/" }
  clips:
    type: generate
    needs: [frames]
    provider: runway
    model: gen4_turbo
    ratio: "1280:720"
    duration: 5
    prompt: \${vars.prompt}
    to: s3://$BUCKET/video-clips/\${vars.user}/
    clipName: "{frame}_video_clip.mp4"
  film: { type: merge, needs: [clips], mode: copy }
  publish:
    type: publish
    needs: [film]
    to: s3://$BUCKET/video-clips/\${vars.user}/final_video_\${session}.mp4
    presign: 1h
EOF
token=bench-$(python3 -c 'import secrets; print(secrets.token_hex(12))')
printf '%s *\n' "$token" >"$WORK/tokens"
"$RUNNER" serve --template "$WORK/serve.yaml" --listen 127.0.0.1:0 --tokens "$WORK/tokens" --state "$WORK/runs.sqlite" \
  --rate 0 --wait 3600 >"$WORK/serve.out" 2>"$WORK/serve.err" &
server_pid=$!
for _ in $(seq 300); do
  grep -q 'listening on ' "$WORK/serve.out" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$WORK/serve.err" >&2; exit 1; }
  sleep 0.1
done
base=$(grep -o 'http://[^ ]*' "$WORK/serve.out" | head -1)
[[ -n "$base" ]] || { echo "error: runner serve did not start:" >&2; cat "$WORK/serve.err" >&2; exit 1; }

# The server's memory, sampled every 100 ms (resident set, kB), and its high-water mark at the end.
( while kill -0 "$server_pid" 2>/dev/null; do
    awk '/^VmRSS/ {print $2}' "/proc/$server_pid/status" 2>/dev/null || true
    sleep 0.1
  done ) >"$WORK/rss.kb" &
sampler_pid=$!

echo "runner: $RUNNER"
echo "server: $base; S3 (moto) $AWS_ENDPOINT_URL; double $RUNNER_TEST_RUNWAY_URL, one tenant: $CONFIG"
echo "cores: $(nproc); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

# 1. list_frames under 200 connections, beside runner frames.
listing=$(curl -sf -H "Authorization: Bearer $token" "$base/api/process_s3_video_workflow?action=list_frames&userId=lister" \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["totalFrames"])')
[[ "$listing" == "$LISTED" ]] || { echo "error: list_frames answered $listing frames, expected $LISTED" >&2; exit 1; }
BENCH_USER=lister BENCH_TOKEN=$token wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s \
  -s bench/serve/list_frames.lua "$base" >"$WORK/wrk.out"
server_list=$(grep '^{' "$WORK/wrk.out")
: >"$WORK/cli.times"
cli_count=$("$RUNNER" frames "s3://$BUCKET/reference-frames/lister/" --format json 2>/dev/null \
  | python3 -c 'import json, sys; d = json.load(sys.stdin); print(len(d["frames"] if isinstance(d, dict) else d))')
for ((i = 0; i < RUNS_CLI; i++)); do
  start=$(date +%s.%N)
  "$RUNNER" frames "s3://$BUCKET/reference-frames/lister/" --format json >/dev/null 2>&1
  end=$(date +%s.%N)
  echo "$end - $start" | bc -l >>"$WORK/cli.times"
done
python3 - "$server_list" "$WORK/cli.times" "$LISTED" "$cli_count" "$CONNECTIONS" "$DURATION" <<'EOF'
import json, sys
server = json.loads(sys.argv[1])
times = sorted(float(line) * 1000 for line in open(sys.argv[2]))
def pct(values, p):
    return values[min(len(values) - 1, max(0, round(p / 100 * len(values) + 0.5) - 1))]
cli50, cli99 = pct(times, 50), pct(times, 99)
print(f"== list_frames of {sys.argv[3]} frames: {sys.argv[5]} connections for {sys.argv[6]} s (wrk) ==")
errors = server["non2xx"] + server["connect"] + server["read"] + server["write"] + server["timeout"]
print(f"runner serve:  p50 {server['p50']:.1f} ms, p99 {server['p99']:.1f} ms, max {server['max']:.1f} ms; "
      f"{server['requests'] / server['seconds']:.0f} requests/s, {server['requests']} requests, {errors} errors "
      f"(non-2xx {server['non2xx']}, timeouts {server['timeout']})")
print(f"runner frames: p50 {cli50:.1f} ms, p99 {cli99:.1f} ms ({len(times)} listings of {sys.argv[4]} frames, "
      f"a process each, one after another)")
print(f"ratio (server under {sys.argv[5]} connections / one runner frames): p50 {server['p50'] / cli50:.2f}, "
      f"p99 {server['p99'] / cli99:.2f}")
EOF
echo

# 2. 50 concurrent generate_videos runs of 4 frames on one account limited to 5.
ideal=$(python3 -c "import math; print(f'{math.ceil($total / $LIMIT) * $TASK:.3f}')")
rss_before=$(sort -n "$WORK/rss.kb" | tail -1)
lines_before=$(wc -l <"$WORK/rss.kb")
python3 bench/serve/generate.py "$base" "$token" bench "$USERS" >"$WORK/generate.json"
lines_after=$(wc -l <"$WORK/rss.kb")
stats=$(curl -sf -H "Authorization: Bearer $key" "$RUNNER_TEST_RUNWAY_URL/__double__/stats")
python3 - "$WORK/generate.json" "$stats" "$ideal" "$USERS" "$total" "$LIMIT" "$TASK" <<'EOF'
import json, sys
result = json.load(open(sys.argv[1]))
stats = json.loads(sys.argv[2])
ideal, users, total, limit, task = float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7])
ratio = result["makespan"] / ideal
calls = sorted(result["calls"])
print(f"== generate_videos: {users} users at once, {total // users} frames each, one account limited to {limit}, "
      f"{task} s per task: ideal ceil({total}/{limit}) x {task} s = {ideal:.3f} s ==")
print(f"check: {result['ok']} of {users} answered success; clips {result['completedCount']} of {result['totalFrames']} "
      f"(expected {total}); links {result['urls']}; the double created {stats['tasksCreated']} tasks")
for failure in result["failures"]:
    print(f"  failed: {json.dumps(failure)[:300]}")
verdict = "ok" if ratio <= 1.10 else "MISSED"
print(f"makespan {result['makespan']:.3f} s, ratio to ideal {ratio:.3f}  {verdict} (target <= 1.10); "
      f"each call {calls[0]:.1f} .. {calls[-1]:.1f} s (median {calls[len(calls) // 2]:.1f} s)")
peak = stats["maxInFlight"]
print(f"peak in flight at the double (THROTTLED included): {peak}  {'ok' if peak <= limit else 'MISSED'} "
      f"(limit {limit}); max active {stats['maxActive']}; ever throttled {stats['everThrottled']}")
# Where the time went, from the double's task times (monotonic, the same clock as generate.py's): before the first
# submission, the Runway phase (first submission to last task finished) against its own ideal, and after it; the
# account's idle slot-seconds in the Runway phase split into the poll lag (a task finished, the runner not told yet),
# the hand-off (a place known free until the next task was created: preparing, recording, submitting) and the ramp
# and drain (slots not yet or no longer needed).
times = [t["times"] for t in stats["tasks"].values() if (t.get("times") or {}).get("finished") is not None]
if times:
    created = sorted(t["created"] for t in times)
    seen = sorted(t["seenFinished"] or t["finished"] for t in times)
    first_task, last_done = created[0], max(t["finished"] for t in times)
    phase = last_done - first_task
    busy = sum(t["finished"] - t["admitted"] for t in times)
    idle = limit * phase - busy
    lag = sum((t["seenFinished"] or t["finished"]) - t["finished"] for t in times)
    handoff = sum(max(0.0, created[k + limit] - seen[k]) for k in range(len(created) - limit))
    ramp = sum(c - first_task for c in created[:limit])
    drain = sum(last_done - s for s in seen[-limit:])
    throttled = sum(t["admitted"] - t["created"] for t in times)
    phase_ideal = ideal
    print(f"timeline: first request -> first task created {first_task - result['first']:.3f} s; Runway phase "
          f"(first task created -> last finished) {phase:.3f} s, ratio to ideal {phase / phase_ideal:.3f}; "
          f"last finished -> last answer {result['last'] - last_done:.3f} s")
    print(f"account slots in the Runway phase: {limit} x {phase:.3f} = {limit * phase:.1f} slot-s, busy {busy:.1f}, "
          f"idle {idle:.1f} ({100 * idle / (limit * phase):.0f}%): poll lag {lag:.1f} (mean {lag / len(times):.3f} s "
          f"a task), hand-off {handoff:.1f} (mean {handoff / max(1, len(created) - limit):.3f} s a place), ramp "
          f"{ramp:.1f}, drain {drain:.1f}; THROTTLED {throttled:.1f}")
    # The runner polls a task at once after recording it `submitted` in the state (S3): a task whose first poll
    # already found it finished waited on that write (or on the runner's scheduling) longer than the task took.
    late = sum(1 for t in stats["tasks"].values() if t["polls"] == 1)
    print(f"tasks first polled only once finished (the submitted record's write outlasted the task): {late} of "
          f"{len(times)}")
EOF
during=$(sed -n "$((lines_before + 1)),${lines_after}p" "$WORK/rss.kb" | sort -n | tail -1)
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$server_pid/status")
echo "server memory: peak RSS during the runs $((${during:-0} / 1024)) MiB (before them $((${rss_before:-0} / 1024)) MiB);" \
  "high-water mark of the whole bench $((hwm / 1024)) MiB"

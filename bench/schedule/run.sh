#!/usr/bin/env bash
# Scheduling against Runway's concurrency limit, on the Runway double (started here, stopped on exit):
# 40 local frames, a tenant limited to 5 tasks at once, 1.0 s per task, no PENDING time, pre-made clips
# (so the double's own encoding does not take the two cores from the client). Ideal: ceil(40/5) x 1.0 s.
#  - runner: `runner apply` of a manifest with NO `concurrency` anywhere (runway provider, poll 100ms; local
#    frames, clips, state; copy merge; local publish): the runner reads the account's limit for the model
#    (GET /v1/organization: the tenant's 5) and keeps that many tasks in flight (issue #16). The target (<= 1.10 x ideal) is checked on the clips stage's span
#    (stageStarted to stageFinished); the whole apply (process start to exit: frame hashing, the film, which is
#    merged as the clips land, and publish) against <= 1.15 x ideal.
#  - peer, in the same run on its own fresh tenant with the same config: the original web app's schedule
#    (bench/schedule/original_workflow.py): batches of 3 POSTs, wait for the batch, download, sleep 15 s
#    scaled to the double's time (0.25 s), next batch.
# Each figure is the median of RUNS runs (default 3); every run has a fresh tenant and fresh state.
# Usage: bench/schedule/run.sh     (uses ${RUNNER_BIN:-.build/release/runner})
#        POLL_MS=50 bench/schedule/run.sh   to try another poll interval (both sides)
#        KEEP_EVENTS=/tmp/ev bench/schedule/run.sh   keeps run N's stamped events as /tmp/ev.N; then
#        bench/schedule/after.py --detail /tmp/ev.N   lists every event after the last clip, with its delay
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
RUNNER=${RUNNER_BIN:-.build/release/runner}
RUNS=${RUNS:-3}
POLL_MS=${POLL_MS:-100}   # the runner's pollInterval; the original polls at the same interval, for fairness
FRAMES=40 LIMIT=5 GENERATION=1.0 BATCH=3 PAUSE=0.25 POLL=$(echo "scale=3; $POLL_MS / 1000" | bc -l | sed 's/^\./0./')
[[ -x "$RUNNER" ]] || { echo "error: $RUNNER is not built (run: make release, or set RUNNER_BIN)" >&2; exit 2; }
RUNNER=$(cd "$(dirname "$RUNNER")" && pwd)/$(basename "$RUNNER")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/schedule-bench.XXXXXX")
source scripts/test-servers/runway-double.sh
# The double's script appended its stop to the EXIT trap; keep it and add the clean-up of our folder.
trap 'runner_runway_double_stop; rm -rf "$WORK"' EXIT

CONFIG="{\"concurrencyLimit\": $LIMIT, \"generationSeconds\": $GENERATION, \"pendingSeconds\": 0, \"precomputedClips\": true}"
tenant() { # -> a fresh tenant's key, with CONFIG
    curl -sf -X POST -H 'Content-Type: application/json' -d "$CONFIG" "$RUNNER_TEST_RUNWAY_URL/__double__/tenants" \
        | python3 -c 'import json, sys; print(json.load(sys.stdin)["key"])'
}
# stats KEY: "tasksCreated maxActive everThrottled pollsMean pollsMax concurrentPolls maxInFlight" of the tenant.
stats() {
    curl -sf -H "Authorization: Bearer $1" "$RUNNER_TEST_RUNWAY_URL/__double__/stats" | python3 -c '
import json, sys
s = json.load(sys.stdin); p = list(s["polls"].values()) or [0]
print(s["tasksCreated"], s["maxActive"], s["everThrottled"], f"{sum(p) / len(p):.1f}", max(p), s["concurrentPolls"], s["maxInFlight"])'
}
median() {  # median of column $2 of file $1
    awk -v c="$2" '{print $c}' "$1" | sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'
}
imedian() { printf '%.0f' "$(median "$1" "$2")"; }  # the same, for counts
runs() { awk -v c="${2:-1}" '{printf "%s%.3f", (NR > 1 ? " " : ""), $c}' "$1"; }  # every run's figure, in order: the spread
ratio() { echo "scale=3; $1 / $2" | bc -l | sed 's/^\./0./'; }
verdict() { if (( $(echo "$1 <= $2" | bc -l) )); then echo "ok (target <= $2)"; else echo "MISSED (target <= $2)"; fi; }
now() { date +%s.%N; }

# 40 distinct frames (a content-keyed runner would make one clip of identical frames), small JPEGs so the
# data URIs stay small for both sides.
mkdir -p "$WORK/frames"
ffmpeg -nostdin -v error -f lavfi -i "testsrc2=size=640x360:rate=1" -frames:v "$FRAMES" -q:v 5 "$WORK/frames/frame_%02d.jpg"
frames=("$WORK"/frames/frame_*.jpg)
cat > "$WORK/pipeline.yaml" <<'EOF'
version: 1
name: schedule-bench
providers:
  runway:
    type: runway
    apiKey: ${env:RUNWAYML_API_SECRET}
    pollInterval: 100ms
stages:
  frames:  { type: frames, from: ./frames/ }
  clips:   { type: generate, needs: [frames], provider: runway, model: gen4_turbo, ratio: "1280:720", duration: 5, prompt: bench, to: ./clips/ }
  film:    { type: merge, needs: [clips], mode: copy }
  publish: { type: publish, needs: [film], to: ./out/film.mp4 }
EOF
sed -i "s/pollInterval: 100ms/pollInterval: ${POLL_MS}ms/" "$WORK/pipeline.yaml"
"$RUNNER" validate "$WORK/pipeline.yaml" >/dev/null

# Warm-up, untimed: the double renders its pre-made 1280:720 5 s clip on first use (shared by all tenants),
# and the first start of the runner's binaries reads their ~150 libraries from disk.
RUNWAYML_API_SECRET=$(tenant) RUNWAYML_BASE_URL=$RUNNER_TEST_RUNWAY_URL \
    python3 bench/schedule/original_workflow.py "$WORK/warm" 1 0 "$POLL" "${frames[0]}" >/dev/null
"$RUNNER" version >/dev/null

ideal=$(python3 -c "import math; print(f'{math.ceil($FRAMES / $LIMIT) * $GENERATION:.3f}')")
echo "runner: $RUNNER"
echo "double: $RUNNER_TEST_RUNWAY_URL, per tenant $CONFIG"
echo "cores: $(nproc); load average at start: $(cut -d" " -f1-3 /proc/loadavg); runs per figure: $RUNS (median)"
echo

for ((r = 1; r <= RUNS; r++)); do
    # runner apply: fresh state, clips and video each run.
    rm -rf "$WORK/.runner" "$WORK/clips" "$WORK/out"
    key=$(tenant)
    start=$(now)
    if ! RUNWAYML_API_SECRET=$key RUNWAYML_BASE_URL=$RUNNER_TEST_RUNWAY_URL "$RUNNER" apply "$WORK/pipeline.yaml" --format json \
            2>"$WORK/runner.stderr.$r" | python3 bench/schedule/stamp.py > "$WORK/events.$r"; then
        echo "error: runner apply failed:" >&2; cat "$WORK/runner.stderr.$r" >&2; tail -3 "$WORK/events.$r" >&2; exit 1
    fi
    end=$(now)
    echo "$end - $start" | bc -l >> "$WORK/runner-wall.times"
    python3 bench/schedule/events.py "$WORK/events.$r" clips "$GENERATION" >> "$WORK/runner-events.times"
    python3 bench/schedule/events.py "$WORK/events.$r" film "$GENERATION" >> "$WORK/runner-film.times"   # its span only
    python3 bench/schedule/after.py "$WORK/events.$r" clips "$end" >> "$WORK/runner-after.times"   # last clip -> runFinished, exit
    [[ -n "${KEEP_EVENTS:-}" ]] && cp "$WORK/events.$r" "$KEEP_EVENTS.$r" && cp "$WORK/runner.stderr.$r" "$KEEP_EVENTS.$r.stderr"
    stats "$key" >> "$WORK/runner-stats.times"

    # The original schedule, on its own fresh tenant.
    key=$(tenant)
    start=$(now)
    RUNWAYML_API_SECRET=$key RUNWAYML_BASE_URL=$RUNNER_TEST_RUNWAY_URL \
        python3 bench/schedule/original_workflow.py "$WORK/original-$r" "$BATCH" "$PAUSE" "$POLL" "${frames[@]}" > "$WORK/original.out"
    end=$(now)
    echo "$(echo "$end - $start" | bc -l) $(awk '{print $(NF-2)}' "$WORK/original.out") $(awk '{print $2}' "$WORK/original.out")" \
        >> "$WORK/original.times"
    stats "$key" >> "$WORK/original-stats.times"
    rm -rf "$WORK/original-$r"
done

generated=$(awk '{print $2}' "$WORK/runner-events.times" | sort -u | tr '\n' ' ')
skipped=$(awk '{print $3}' "$WORK/runner-events.times" | sort -u | tr '\n' ' ')
echo "== $FRAMES clips, concurrency limit $LIMIT, $GENERATION s per task: ideal ceil($FRAMES/$LIMIT) x $GENERATION s = $ideal s =="
echo "check: runner generated ${generated}and skipped ${skipped}per run (expected $FRAMES and 0); original made $(awk '{print $3}' "$WORK/original.times" | sort -u | tr '\n' ' ')clips per run;"
echo "       film $(ffprobe -v error -show_entries format=duration -of csv=p=0 "$WORK/out/film.mp4") s (expected $((FRAMES * 5)))"
span=$(median "$WORK/runner-events.times" 1); whole=$(median "$WORK/runner-wall.times" 1)
orig=$(median "$WORK/original.times" 2); orig_whole=$(median "$WORK/original.times" 1)
echo "runner apply (no concurrency in the manifest: the account's limit of $LIMIT read from /v1/organization; poll ${POLL} s):"
echo "  clips stage ${span} s, ratio to ideal $(ratio "$span" "$ideal")  $(verdict "$(ratio "$span" "$ideal")" 1.10)  (runs: $(runs "$WORK/runner-events.times"))"
echo "  whole apply ${whole} s, ratio to ideal $(ratio "$whole" "$ideal")  $(verdict "$(ratio "$whole" "$ideal")" 1.15)  (runs: $(runs "$WORK/runner-wall.times"))"
echo "    beyond the clips stage: the film stage (the copy merge of $FRAMES x 5 s clips made as they landed: its index, storing it and its contact sheet) $(median "$WORK/runner-film.times" 1) s;" \
     "process start, frame hashing and publish the rest"
echo "    after the last clip landed: $(median "$WORK/runner-after.times" 1) s to runFinished, $(median "$WORK/runner-after.times" 2) s to the process's exit" \
     "(runs: $(runs "$WORK/runner-after.times" 2); KEEP_EVENTS=PREFIX keeps each run's events, bench/schedule/after.py --detail shows them)"
echo "original (batches of $BATCH, wait, ${PAUSE} s sleep, poll ${POLL} s):"
echo "  first POST to last download ${orig} s, ratio to ideal $(ratio "$orig" "$ideal"); whole process ${orig_whole} s  (runs: $(runs "$WORK/original.times" 2))"
echo "runner / original: $(ratio "$span" "$orig") (clips stage vs first POST to last download), $(ratio "$whole" "$orig_whole") (whole processes)"
echo "runner detail: per clip started->succeeded mean $(median "$WORK/runner-events.times" 4) s, max $(median "$WORK/runner-events.times" 5) s;" \
     "double's end of a task->succeeded mean $(median "$WORK/runner-events.times" 9) s, max $(median "$WORK/runner-events.times" 10) s" \
     "(poll delay alone averages about $(python3 -c "print(f'{$POLL * 1.1 / 2:.3f}')") s);"
echo "               a freed slot is refilled after mean $(median "$WORK/runner-events.times" 6) s, max $(median "$WORK/runner-events.times" 7) s;" \
     "clips holding a slot at most $(imedian "$WORK/runner-events.times" 8)"
for side in runner original; do
    f="$WORK/$side-stats.times"
    echo "double saw ($side): tasks $(imedian "$f" 1), max active $(imedian "$f" 2), ever throttled $(imedian "$f" 3)," \
         "polls per task mean $(median "$f" 4) max $(imedian "$f" 5), concurrent polls of one task $(imedian "$f" 6)," \
         "peak in flight (THROTTLED included) $(imedian "$f" 7)"
done

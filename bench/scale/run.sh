#!/usr/bin/env bash
# Scale of the bookkeeping, with local frames, the free Ken Burns generator, local clips and local state:
#  (a) the rerun of a finished 1,000-frame pipeline: under 2 s, every clip skipped;
#  (b) `runner plan` of 10,000 frames with state: under 3 s, timed twice: with 1,000 of the 10,000 clips
#      done (9,000 to create), then with all 10,000 done (the clips are tiny, 32x18 and 1 s: making them
#      all takes about 2 min on two cores, plus the film's merge).
# There is no peer tool that does this; beside each figure: `sha256sum` over the same frames (the floor of
# hashing every frame, which a content-keyed rerun must do) and `runner version` (the floor of starting the
# runner, which loads libav). Each figure is the median of RUNS runs (default 3); ratios are runner / sha256sum.
# Usage: bench/scale/run.sh              (uses ${RUNNER_BIN:-.build/release/runner})
#        ONLY=a|b bench/scale/run.sh     to run one part
set -euo pipefail

RUNNER=${RUNNER_BIN:-.build/release/runner}
RUNS=${RUNS:-3}
ONLY=${ONLY:-all}
[[ -x "$RUNNER" ]] || { echo "error: $RUNNER is not built (run: make release, or set RUNNER_BIN)" >&2; exit 2; }
RUNNER=$(cd "$(dirname "$RUNNER")" && pwd)/$(basename "$RUNNER")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/scale-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

# run_timed LABEL CMD...: runs the command (its stdout kept in LABEL.out, its exit status in LABEL.status),
# appends "seconds peak_rss_kb" to LABEL.times. An exit status other than 0 stops the benchmark, except 3
# with --detailed-exitcode (work pending), and except anything when ALLOW_FAIL=1 (the caller reports it).
run_timed() {
    local label=$1; shift
    local start end status=0
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o rss.tmp "$@" >"$label.out" 2>"$label.stderr" || status=$?
    end=$(date +%s.%N)
    echo "$status" > "$label.status"
    echo "$(echo "$end - $start" | bc -l) $(tail -1 rss.tmp)" >> "$label.times"
    if (( status != 0 )) && ! [[ $status == 3 && " $* " == *" --detailed-exitcode "* ]] && [[ ${ALLOW_FAIL:-0} != 1 ]]; then
        echo "error: $label failed ($status); the end of its standard error:" >&2; tail -n 5 "$label.stderr" >&2; exit 1
    fi
}
median() {  # median of column $2 of file $1
    awk -v c="$2" '{print $c}' "$1" | sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'
}
imedian() { printf "%.0f" "$(median "$1" "$2")"; }  # the same, for counts and KB
runs() { awk -v c="${2:-1}" '{printf "%s%.3f", (NR > 1 ? " " : ""), $c}' "$1"; }  # every run's figure, in order: the spread
ratio() { echo "scale=3; $1 / $2" | bc -l | sed 's/^\./0./'; }
verdict() { if (( $(echo "$1 <= $2" | bc -l) )); then echo "ok (target <= $2 s)"; else echo "MISSED (target <= $2 s)"; fi; }
# manifest FILE NAME RATIO [INCLUDE]: a Ken Burns pipeline over ./frames/ with 1 s clips, 2 rendered at once.
manifest() {
    cat > "$1" <<EOF
version: 1
name: $2
providers:
  draft: { type: kenburns, concurrency: 2 }
stages:
  frames:  { type: frames, from: ./frames/${4:+, include: $4} }
  clips:   { type: generate, needs: [frames], provider: draft, ratio: "$3", duration: 1, seed: 1, to: ./clips/ }
  film:    { type: merge, needs: [clips], mode: copy }
  publish: { type: publish, needs: [film], to: ./out/film.mp4 }
EOF
    "$RUNNER" validate "$1" >/dev/null
}
# frames DIR COUNT DIGITS: COUNT distinct 160x90 PNGs (testsrc2 changes every frame; checked below).
frames() {
    mkdir -p "$1"
    ffmpeg -nostdin -v error -f lavfi -i "testsrc2=size=160x90:rate=1" -frames:v "$2" "$1/frame_%0${3}d.png"
    local distinct
    distinct=$(sha256sum "$1"/*.png | awk '{print $1}' | sort -u | wc -l)
    [[ $distinct == "$2" ]] || { echo "error: only $distinct of $2 frames are distinct" >&2; exit 1; }
}
# floors LABEL DIR: the peers, timed RUNS times: sha256sum over DIR's frames, and the runner's start.
floors() {
    for ((r = 0; r < RUNS; r++)); do
        run_timed "$1-sha" sh -c "sha256sum $2/*.png"
        run_timed "$1-start" "$RUNNER" version
    done
}

echo "runner: $RUNNER"
echo "cores: $(nproc); load average at start: $(cut -d' ' -f1-3 /proc/loadavg); runs per figure: $RUNS (median)"
echo

if [[ $ONLY == all || $ONLY == a ]]; then
    echo "== (a) rerun of a finished 1,000-frame pipeline: Ken Burns 160:90, 1 s clips, local frames, clips and state =="
    mkdir a && cd a
    frames frames 1000 4
    manifest pipeline.yaml scale-rerun 160:90
    # The first apply makes the 1,000 clips, the film and the video: timed once, for the record.
    run_timed first "$RUNNER" apply pipeline.yaml
    for ((r = 0; r < RUNS; r++)); do run_timed rerun "$RUNNER" apply pipeline.yaml; done
    floors a frames
    generated=$(awk '/clips generated/ {print $3}' rerun.out); skipped=$(awk '/clips skipped/ {print $3}' rerun.out)
    echo "first apply: $(median first.times 1) s ($(awk '/clips generated/ {print $3}' first.out) clips made, merged and published), peak RSS $(imedian first.times 2) KB"
    echo "check: the last rerun's summary says $generated generated, $skipped skipped (expected 0 and 1000): $([[ $generated == 0 && $skipped == 1000 ]] && echo ok || echo WRONG)"
    echo "       $(grep -m1 'Apply' rerun.out)"
    tr=$(median rerun.times 1); ts=$(median a-sha.times 1)
    echo "rerun ${tr} s  $(verdict "$tr" 2)  (runs: $(runs rerun.times))"
    echo "sha256sum of the 1,000 frames ${ts} s, ratio runner/sha256sum $(ratio "$tr" "$ts")"
    echo "runner start (runner version) $(median a-start.times 1) s"
    echo "peak RSS: rerun $(imedian rerun.times 2) KB"
    cd ..
    echo
fi

if [[ $ONLY == all || $ONLY == b ]]; then
    echo "== (b) runner plan of 10,000 frames with state: Ken Burns 32:18, 1 s clips, local frames, clips and state =="
    mkdir b && cd b
    frames frames 10000 5
    manifest pipeline.yaml scale-plan 32:18
    # The same pipeline (its name keys the state) narrowed to the first 1,000 frames: 00001..00999 and 01000.
    manifest first-1000.yaml scale-plan 32:18 '["frame_00*.png", "frame_01000.png"]'
    run_timed make-1000 "$RUNNER" apply first-1000.yaml
    echo "state 1: apply of the first 1,000 frames took $(median make-1000.times 1) s ($(awk '/clips generated/ {print $3}' make-1000.out) clips)"
    for ((r = 0; r < RUNS; r++)); do run_timed plan-partial "$RUNNER" plan pipeline.yaml --detailed-exitcode; done
    echo "  plan: $(tail -1 plan-partial.out)"
    # The film of 10,000 clips may fail (it did once the merge began to draw a contact sheet of every clip):
    # the plan is still timed on the state that exists, which the plan's totals line then shows.
    ALLOW_FAIL=1 run_timed make-rest "$RUNNER" apply pipeline.yaml
    if [[ $(cat make-rest.status) == 0 ]]; then
        echo "state 2: apply of the other 9,000 took $(median make-rest.times 1) s ($(awk '/clips generated/ {print $3}' make-rest.out) made," \
             "$(awk '/clips skipped/ {print $3}' make-rest.out) skipped; the film of 10,000 clips merged and published), peak RSS $(imedian make-rest.times 2) KB"
    else
        echo "state 2: apply of the other 9,000 FAILED after $(median make-rest.times 1) s (exit $(cat make-rest.status)), peak RSS $(imedian make-rest.times 2) KB:"
        echo "  $(grep -m1 'apply failed' make-rest.stderr | cut -c1-400)"
        echo "  clips recorded as done: $(grep -rl '"state" : "succeeded"' .runner/state/scale-plan/clips | wc -l) of 10000"
    fi
    for ((r = 0; r < RUNS; r++)); do run_timed plan-full "$RUNNER" plan pipeline.yaml --detailed-exitcode; done
    echo "  plan: $(tail -1 plan-full.out)"
    floors b frames
    ts=$(median b-sha.times 1)
    for state in partial full; do
        tp=$(median "plan-$state.times" 1)
        echo "plan with state $([[ $state == partial ]] && echo "1 (1,000 done, 9,000 to create)" || echo "2 (10,000 done)      ") ${tp} s  $(verdict "$tp" 3)," \
             "ratio runner/sha256sum $(ratio "$tp" "$ts"), peak RSS $(imedian "plan-$state.times" 2) KB (runs: $(runs "plan-$state.times"))"
    done
    echo "sha256sum of the 10,000 frames ${ts} s; runner start (runner version) $(median b-start.times 1) s"
    echo "state: $(find .runner -name '*.json' | wc -l) records in $(du -sh .runner | cut -f1), $(find clips -name '*.mp4' | wc -l) clips"
    cd ..
fi

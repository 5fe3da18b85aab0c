#!/usr/bin/env bash
# Leak check: the runner built with AddressSanitizer + LeakSanitizer, run on a 3-clip merge in copy mode and
# in re-encode mode (audio and silence, crossfade), a refused copy, Ken Burns and probe.
# Passes when no run reports a leak or a memory error.
# (valgrind 3.19 cannot read the DWARF 5 the Swift 6.3 toolchain emits, so LeakSanitizer is used instead.)
# Usage: bench/media/leak-check.sh   (builds into .build-media-asan; set SCRATCH to change)
set -euo pipefail
SCRATCH=${SCRATCH:-.build-media-asan}
swift build --sanitize=address --scratch-path "$SCRATCH" --product runner >/dev/null
RUNNER=$(swift build --sanitize=address --scratch-path "$SCRATCH" --show-bin-path)/runner
WORK=$(mktemp -d "${TMPDIR:-/tmp}/media-leaks.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
for k in 1 2 3; do
    ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=s=320x240:r=24:d=1" -f lavfi -i "sine=frequency=440:duration=1" \
        -c:v libx264 -preset ultrafast -c:a aac "$WORK/c$k.mp4"
done
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=s=480x240:r=30:d=1" -c:v libx264 -preset ultrafast "$WORK/odd.mp4"
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=s=800x600" -frames:v 1 "$WORK/still.jpg"

status=0
# check NAME EXPECTED_EXIT ARGS...: runs the sanitized runner and reports leaks / memory errors.
check() {
    local name=$1 expected=$2; shift 2
    local code=0
    ASAN_OPTIONS=detect_leaks=1:exitcode=86 "$RUNNER" "$@" >/dev/null 2>"$WORK/$name.log" || code=$?
    if grep -qE 'ERROR: (LeakSanitizer|AddressSanitizer)' "$WORK/$name.log"; then
        echo "$name: FAILED"; grep -E 'SUMMARY|Direct leak|Indirect leak|ERROR:' "$WORK/$name.log" | head -20; status=1
    elif [[ $code != "$expected" ]]; then
        echo "$name: exit $code, expected $expected"; tail -5 "$WORK/$name.log"; status=1
    else
        echo "$name: no leaks, no memory errors (exit $code)"
    fi
}
check copy-merge 0 merge "$WORK/c1.mp4" "$WORK/c2.mp4" "$WORK/c3.mp4" -o "$WORK/copy.mp4" --mode copy
check reencode-merge 0 merge "$WORK/c1.mp4" "$WORK/c2.mp4" "$WORK/odd.mp4" -o "$WORK/re.mp4" --mode reencode --transition crossfade:0.25
check reencode-webm 0 merge "$WORK/c1.mp4" "$WORK/odd.mp4" "$WORK/c3.mp4" -o "$WORK/re.webm"
check refused-copy 2 merge "$WORK/c1.mp4" "$WORK/odd.mp4" "$WORK/c3.mp4" -o "$WORK/no.mp4" --mode copy
check kenburns 0 kenburns "$WORK/still.jpg" -o "$WORK/kb.mp4" --size 320x180 --duration 1 --preset ultrafast
check probe 0 probe "$WORK/c1.mp4"
check probe-not-media 2 probe "$WORK/still.jpg.missing"
exit $status

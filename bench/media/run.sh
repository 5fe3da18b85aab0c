#!/usr/bin/env bash
# Media benchmarks: the runner against ffmpeg doing the same job, side by side in one run.
# Each figure is the median of RUNS runs (default 5); ratios are runner / ffmpeg (lower is better).
# Usage: bench/media/run.sh            (uses ${RUNNER_BIN:-.build/release/runner})
#        ONLY=copy|sync|reencode|kenburns|frames|soundtrack|transitions bench/media/run.sh   to run one section
set -euo pipefail

RUNNER=${RUNNER_BIN:-.build/release/runner}
RUNS=${RUNS:-5}
ONLY=${ONLY:-all}
[[ -x "$RUNNER" ]] || { echo "error: $RUNNER is not built (run: swift build -c release, or set RUNNER_BIN)" >&2; exit 2; }
RUNNER=$(cd "$(dirname "$RUNNER")" && pwd)/$(basename "$RUNNER")
BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/media-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

# run_timed LABEL CMD...: runs the command, appends "seconds peak_rss_kb" to LABEL.times.
run_timed() {
    local label=$1; shift
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o rss.tmp "$@" >/dev/null 2>"$label.stderr" || { echo "error: $label failed:" >&2; cat "$label.stderr" >&2; exit 1; }
    end=$(date +%s.%N)
    echo "$(echo "$end - $start" | bc -l) $(cat rss.tmp)" >> "$label.times"
}
# peak_anon_kb CMD...: runs the command once, sampling its anonymous (non-file) resident memory
# every 20 ms, and prints the peak in KB. Peak RSS includes the shared libraries' pages; this does not.
peak_anon_kb() {
    "$@" >/dev/null 2>&1 &
    local pid=$! peak=0 value
    while kill -0 "$pid" 2>/dev/null; do
        value=$(awk '/^RssAnon/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
        [[ -n $value ]] && (( value > peak )) && peak=$value
        sleep 0.02
    done
    wait "$pid" || true
    echo "$peak"
}
median() {  # median of column $2 of file $1
    awk -v c="$2" '{print $c}' "$1" | sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'
}
ratio() { echo "scale=3; $1 / $2" | bc -l | sed 's/^\./0./'; }
verdict() { if (( $(echo "$1 <= $2" | bc -l) )); then echo "ok (target <= $2)"; else echo "MISSED (target <= $2)"; fi; }
# gen OUT SIZE FPS SECONDS PATTERN: an H.264 clip made once for the benchmark.
gen() { ffmpeg -nostdin -v error -y -f lavfi -i "$5=s=$2:r=$3:d=$4" -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p "$1"; }

echo "runner: $RUNNER"
echo "ffmpeg: $(ffmpeg -version | head -1)"
echo "cores: $(nproc); runs per figure: $RUNS (median)"
echo

if [[ $ONLY == all || $ONLY == copy ]]; then
    echo "== Copy merge: N clips of 5 s, 1280x720 H.264 (4 distinct clips cycled) =="
    i=0; for p in testsrc2 smptehdbars rgbtestsrc testsrc; do gen "src$i.mp4" 1280x720 24 5 "$p"; i=$((i+1)); done
    for n in 60 240; do
        : > "list$n.txt"; : > "args$n"
        for ((k = 0; k < n; k++)); do echo "file '$WORK/src$((k % 4)).mp4'" >> "list$n.txt"; echo "$WORK/src$((k % 4)).mp4" >> "args$n"; done
    done
    mapfile -t clips60 < args60
    mapfile -t clips240 < args240
    for ((r = 0; r < RUNS; r++)); do
        run_timed ffmpeg-copy ffmpeg -nostdin -v error -y -f concat -safe 0 -i list60.txt -c copy -movflags +faststart ff60.mp4
        run_timed runner-copy "$RUNNER" merge "${clips60[@]}" -o run60.mp4 --mode copy
        run_timed runner-copy240 "$RUNNER" merge "${clips240[@]}" -o run240.mp4 --mode copy
    done
    [[ -z $(ffmpeg -v error -i run60.mp4 -f null - 2>&1) ]] || echo "warning: run60.mp4 does not decode cleanly"
    echo "duration: runner $(ffprobe -v error -show_entries format=duration -of csv=p=0 run60.mp4) s, ffmpeg $(ffprobe -v error -show_entries format=duration -of csv=p=0 ff60.mp4) s (expected 300)"
    tf=$(median ffmpeg-copy.times 1); tr=$(median runner-copy.times 1)
    r60=$(median runner-copy.times 2); r240=$(median runner-copy240.times 2); rff=$(median ffmpeg-copy.times 2)
    echo "60 clips:  ffmpeg concat ${tf} s, runner ${tr} s, ratio $(ratio "$tr" "$tf")  $(verdict "$(ratio "$tr" "$tf")" 1.0)"
    echo "240 clips: runner $(median runner-copy240.times 1) s"
    echo "peak RSS:  runner ${r60} KB (60 clips), ${r240} KB (240 clips), ffmpeg ${rff} KB (60 clips)"
    echo "           under 40 MB: $(awk -v a="$r60" -v b="$r240" 'BEGIN {print (a < 40960 && b < 40960) ? "ok" : "MISSED"}'); 240 vs 60 clips: $(ratio "$r240" "$r60") $(verdict "$(ratio "$r240" "$r60")" 1.10)"
    echo "baseline:  peak RSS of 'runner --version' $(/usr/bin/time -f %M "$RUNNER" --version 2>&1 >/dev/null | tail -1) KB, of 'ffprobe -version' $(/usr/bin/time -f %M ffprobe -version 2>&1 >/dev/null | tail -1) KB (shared libraries)"
    a60=$(peak_anon_kb "$RUNNER" merge "${clips60[@]}" -o anon60.mp4 --mode copy)
    a240=$(peak_anon_kb "$RUNNER" merge "${clips240[@]}" -o anon240.mp4 --mode copy)
    echo "anonymous: runner peak RssAnon ${a60} KB (60 clips), ${a240} KB (240 clips), ratio $(ratio "$a240" "$a60")"
    echo
fi

if [[ $ONLY == all || $ONLY == sync ]]; then
    echo "== Sync: copy merge of 60 clips of 5 s, 1280x720 H.264 + AAC 48 kHz, each with a flash and a beep at 0.5 s =="
    echo "   (the runner with its timeline handling: priming dropped at joins, audio cut at each clip's video end;"
    echo "    ffmpeg's concat demuxer with -c copy, the usual way to join clips losslessly)"
    # Two clips cycled: audio ending with the video, and audio running 0.25 s past it (as many cameras write).
    for spec in "exact 5" "long 5.25"; do
        set -- $spec
        ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=s=1280x720:r=24:d=5" \
            -f lavfi -i "aevalsrc='if(between(t,0.5,0.6),0.5*sin(2*PI*1000*t),0)':s=48000:d=$2" \
            -vf "drawbox=w=iw:h=ih:c=white:t=fill:enable='between(t,0.49,0.52)'" \
            -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p -c:a aac -b:a 128k "sync-$1.mp4"
    done
    : > synclist.txt; syncclips=()
    for ((k = 0; k < 60; k++)); do
        name=$([[ $((k % 2)) == 0 ]] && echo exact || echo long)
        echo "file '$WORK/sync-$name.mp4'" >> synclist.txt; syncclips+=("$WORK/sync-$name.mp4")
    done
    for ((r = 0; r < RUNS; r++)); do
        run_timed ffmpeg-sync ffmpeg -nostdin -v error -y -f concat -safe 0 -i synclist.txt -c copy -movflags +faststart ffsync.mp4
        run_timed runner-sync "$RUNNER" merge "${syncclips[@]}" -o runsync.mp4 --mode copy
    done
    tf=$(median ffmpeg-sync.times 1); tr=$(median runner-sync.times 1)
    echo "time:     ffmpeg concat ${tf} s, runner ${tr} s, ratio $(ratio "$tr" "$tf")  $(verdict "$(ratio "$tr" "$tf")" 1.0)"
    echo "duration: runner $(ffprobe -v error -show_entries format=duration -of csv=p=0 runsync.mp4) s, ffmpeg concat $(ffprobe -v error -show_entries format=duration -of csv=p=0 ffsync.mp4) s (the clips' video: 300 s)"
    [[ -z $(ffmpeg -v error -i runsync.mp4 -f null - 2>&1) ]] || echo "warning: runsync.mp4 does not decode cleanly"
    echo "sync, runner (sound minus picture; one AAC frame is 21.3 ms):"
    python3 "$BENCH/sync.py" runsync.mp4
    echo "sync, ffmpeg concat demuxer:"
    python3 "$BENCH/sync.py" ffsync.mp4
    echo
fi

if [[ $ONLY == all || $ONLY == reencode ]]; then
    echo "== Re-encode merge: 12 clips of 2 s (1280x720, 720x1280, 960x960; 24 and 30 fps) to 1280x720@24, libx264 medium CRF 23 =="
    specs=(1280x720:24 720x1280:30 960x960:24 1280x720:30 720x1280:24 960x960:30)
    mixed=(); inputs=(); filters=""; labels=""
    for ((k = 0; k < 12; k++)); do
        spec=${specs[$((k % 6))]}; gen "mix$k.mp4" "${spec%%:*}" "${spec##*:}" 2 testsrc2
        mixed+=("mix$k.mp4"); inputs+=(-i "mix$k.mp4")
        filters+="[$k:v]scale=1280:720:force_original_aspect_ratio=decrease,pad=1280:720:(ow-iw)/2:(oh-ih)/2,setsar=1,fps=24[v$k];"
        labels+="[v$k]"
    done
    filters+="${labels}concat=n=12:v=1:a=0[out]"
    for ((r = 0; r < RUNS; r++)); do
        run_timed ffmpeg-reencode ffmpeg -nostdin -v error -y "${inputs[@]}" -filter_complex "$filters" -map "[out]" \
            -c:v libx264 -preset medium -crf 23 -pix_fmt yuv420p -movflags +faststart ffre.mp4
        run_timed runner-reencode "$RUNNER" merge "${mixed[@]}" -o runre.mp4 --mode reencode --size 1280x720 --fps 24 --quality 0.75
    done
    echo "frames: runner $(ffprobe -v error -count_packets -show_entries stream=nb_read_packets -of csv=p=0 runre.mp4), ffmpeg $(ffprobe -v error -count_packets -show_entries stream=nb_read_packets -of csv=p=0 ffre.mp4) (expected 576)"
    tf=$(median ffmpeg-reencode.times 1); tr=$(median runner-reencode.times 1)
    echo "ffmpeg ${tf} s, runner ${tr} s, ratio $(ratio "$tr" "$tf")  $(verdict "$(ratio "$tr" "$tf")" 1.05)"
    echo "peak RSS: runner $(median runner-reencode.times 2) KB, ffmpeg $(median ffmpeg-reencode.times 2) KB"
    echo
fi

if [[ $ONLY == all || $ONLY == kenburns ]]; then
    echo "== Ken Burns: 5 s of 1280x720@24 from a 4000x3000 JPEG, libx264 medium CRF 23 =="
    ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=s=4000x3000" -frames:v 1 -q:v 3 still.jpg
    zoompan="crop=4000:2250,zoompan=z='min(zoom+0.00125,1.15)':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=120:s=1280x720:fps=24"
    for ((r = 0; r < RUNS; r++)); do
        run_timed ffmpeg-kb ffmpeg -nostdin -v error -y -i still.jpg -vf "$zoompan" -frames:v 120 \
            -c:v libx264 -preset medium -crf 23 -pix_fmt yuv420p kbff.mp4
        run_timed runner-kb "$RUNNER" kenburns still.jpg -o kbrun.mp4 --size 1280x720 --duration 5 --fps 24 --seed 1 --timings
        grep -o 'encode [0-9.]*' runner-kb.stderr | awk '{print $2}' >> runner-kb.encode
        grep -o 'render [0-9.]*' runner-kb.stderr | awk '{print $2}' >> runner-kb.render
    done
    echo "frames: runner $(ffprobe -v error -count_packets -show_entries stream=nb_read_packets -of csv=p=0 kbrun.mp4), ffmpeg $(ffprobe -v error -count_packets -show_entries stream=nb_read_packets -of csv=p=0 kbff.mp4) (expected 120)"
    tf=$(median ffmpeg-kb.times 1); tr=$(median runner-kb.times 1)
    echo "ffmpeg zoompan ${tf} s, runner ${tr} s, ratio $(ratio "$tr" "$tf")  $(verdict "$(ratio "$tr" "$tf")" 0.8)"
    echo "runner breakdown: encoder+muxer $(median runner-kb.encode 1) s, sub-pixel rendering $(median runner-kb.render 1) s"
    echo "peak RSS: runner $(median runner-kb.times 2) KB, ffmpeg $(median ffmpeg-kb.times 2) KB"
fi

if [[ $ONLY == all || $ONLY == transitions ]]; then
    GOP=${GOP:-24}
    echo "== Transitions: 20 clips of 5 s, 1280x720@24 H.264 (keyframe every $GOP frames) + AAC, 0.5 s crossfades =="
    echo "   (the runner copies what no transition touches and re-encodes from the keyframe before each join to the"
    echo "    keyframe after it, sound crossfaded and encoded once; ffmpeg: an xfade/acrossfade chain, libx264 medium CRF 23)"
    k=0
    for p in testsrc2 smptehdbars rgbtestsrc testsrc; do
        ffmpeg -nostdin -v error -y -f lavfi -i "$p=s=1280x720:r=24:d=5" \
            -f lavfi -i "sine=frequency=$((300 + 100 * k)):sample_rate=48000:duration=5" \
            -c:v libx264 -preset veryfast -crf 23 -g "$GOP" -keyint_min "$GOP" -sc_threshold 0 -pix_fmt yuv420p \
            -c:a aac -b:a 128k "xf$k.mp4"
        k=$((k + 1))
    done
    # xfade_args N: ffmpeg's inputs and filter graph joining N clips with 0.5 s crossfades (picture and sound).
    xfade_args() {
        local n=$1 graph="" last_v="0:v" last_a="0:a" length=5 k
        xargs_inputs=()
        for ((k = 0; k < n; k++)); do xargs_inputs+=(-i "xf$((k % 4)).mp4"); done
        for ((k = 1; k < n; k++)); do
            offset=$(echo "$length - 0.5" | bc -l)
            graph+="[$last_v][$k:v]xfade=transition=fade:duration=0.5:offset=$offset[v$k];"
            graph+="[$last_a][$k:a]acrossfade=d=0.5[a$k];"
            last_v="v$k"; last_a="a$k"; length=$(echo "$length + 4.5" | bc -l)
        done
        xgraph=${graph%;}; xout_v="[$last_v]"; xout_a="[$last_a]"
    }
    for n in 10 20; do
        clips=(); for ((k = 0; k < n; k++)); do clips+=("xf$((k % 4)).mp4"); done
        printf '%s\n' "${clips[@]}" > "xfclips$n"
    done
    mapfile -t xf10 < xfclips10
    mapfile -t xf20 < xfclips20
    xfade_args 20
    for ((r = 0; r < RUNS; r++)); do
        run_timed ffmpeg-xfade ffmpeg -nostdin -v error -y "${xargs_inputs[@]}" -filter_complex "$xgraph" \
            -map "$xout_v" -map "$xout_a" -c:v libx264 -preset medium -crf 23 -pix_fmt yuv420p -c:a aac -b:a 128k \
            -movflags +faststart ffxf.mp4
        run_timed runner-xfade "$RUNNER" merge "${xf20[@]}" -o runxf.mp4 --transition crossfade:0.5
        run_timed runner-xfade10 "$RUNNER" merge "${xf10[@]}" -o runxf10.mp4 --transition crossfade:0.5
    done
    "$RUNNER" merge "${xf20[@]}" -o runxf.mp4 --transition crossfade:0.5 | sed 's/^/runner says: /'
    [[ -z $(ffmpeg -v error -i runxf.mp4 -f null - 2>&1) ]] || echo "warning: runxf.mp4 does not decode cleanly"
    echo "duration: runner $(ffprobe -v error -select_streams v:0 -show_entries stream=duration -of csv=p=0 runxf.mp4) s, ffmpeg $(ffprobe -v error -select_streams v:0 -show_entries stream=duration -of csv=p=0 ffxf.mp4) s (expected 20 x 5 - 19 x 0.5 = 90.5)"
    echo "frames: runner $(ffprobe -v error -count_packets -select_streams v:0 -show_entries stream=nb_read_packets -of csv=p=0 runxf.mp4), ffmpeg $(ffprobe -v error -count_packets -select_streams v:0 -show_entries stream=nb_read_packets -of csv=p=0 ffxf.mp4) (expected 2172)"
    tf=$(median ffmpeg-xfade.times 1); tr=$(median runner-xfade.times 1)
    echo "time: ffmpeg xfade chain ${tf} s, runner ${tr} s, ratio $(ratio "$tr" "$tf")  $(verdict "$(ratio "$tr" "$tf")" 0.2)"
    m10=$(median runner-xfade10.times 2); m20=$(median runner-xfade.times 2)
    echo "peak RSS: runner ${m10} KB (10 clips), ${m20} KB (20 clips), 20 vs 10: $(ratio "$m20" "$m10") $(verdict "$(ratio "$m20" "$m10")" 1.10); ffmpeg $(median ffmpeg-xfade.times 2) KB (20 clips)"
    echo
fi

# Frame preparation and Ken Burns on an oriented photo (issue #14): a script of its own.
if [[ $ONLY == all || $ONLY == frames ]]; then RUNNER_BIN="$RUNNER" RUNS="$RUNS" "$BENCH/frames.sh"; fi

# The soundtrack stage (issue #19): music, 20 voice clips, ducking and loudness against ffmpeg's two-pass loudnorm.
if [[ $ONLY == all || $ONLY == soundtrack ]]; then RUNNER_BIN="$RUNNER" RUNS="$RUNS" "$BENCH/soundtrack.sh"; fi

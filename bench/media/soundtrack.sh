#!/usr/bin/env bash
# Soundtrack benchmark (issue #19): the sound of a 5-minute film made again, music (looped, faded, at -6 dB) + 20 voice
# clips + ducking (12 dB) + loudness (-14 LUFS, -1 dBTP), the picture stream-copied; the runner against the ffmpeg
# program doing the same with amix, sidechaincompress and two-pass loudnorm, side by side in one run.
# Prints the median time of each, the ratio runner / ffmpeg (goal <= 1.0), and both outputs' loudness (ebur128).
# Usage: bench/media/soundtrack.sh   (RUNNER_BIN, RUNS as in bench/media/run.sh)
set -euo pipefail

RUNNER=${RUNNER_BIN:-.build/release/runner}
RUNS=${RUNS:-3}
[[ -x "$RUNNER" ]] || { echo "error: $RUNNER is not built (run: swift build -c release, or set RUNNER_BIN)" >&2; exit 2; }
RUNNER=$(cd "$(dirname "$RUNNER")" && pwd)/$(basename "$RUNNER")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/soundtrack-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

seconds_of() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>run.stderr || { cat run.stderr >&2; exit 1; }; end=$(date +%s.%N); echo "$end - $start" | bc -l; }
median() { sort -g | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f", m}'; }
loudness() {  # "I LUFS, TP dBTP" of FILE's sound, as ebur128 measures it
    ffmpeg -nostdin -hide_banner -nostats -i "$1" -map 0:a:0 -af ebur128=peak=true -f null - 2>&1 |
        awk '/Summary:/ {s=1} s && /I:/ {i=$2} s && /Peak:/ {p=$2} END {printf "%s LUFS, true peak %s dBTP", i, p}'
}

# The film: 300 s of 640x360 H.264 at 24 fps with its clips' own sound (AAC), 20 clips of 15 s.
ffmpeg -nostdin -v error -y -f lavfi -i "testsrc2=s=640x360:r=24:d=300" \
    -f lavfi -i "sine=frequency=220:sample_rate=48000:duration=300" -af volume=-24dB \
    -c:v libx264 -preset veryfast -crf 28 -pix_fmt yuv420p -c:a aac -b:a 96k film.mp4
# The music: 3 minutes (so it is looped), stereo 44.1 kHz MP3: pink noise under two tones.
ffmpeg -nostdin -v error -y -f lavfi -i "anoisesrc=color=pink:amplitude=0.2:sample_rate=44100:duration=180" \
    -f lavfi -i "sine=frequency=330:sample_rate=44100:duration=180" -f lavfi -i "sine=frequency=495:sample_rate=44100:duration=180" \
    -filter_complex "[0][1][2]amix=inputs=3:normalize=0,pan=stereo|c0=c0|c1=c0" -c:a libmp3lame -b:a 192k music.mp3
# 20 voice lines: 4 s of mono 44.1 kHz speech-like bursts, each at the start of its clip (+0.5 s).
voices=(); inputs=(); delays=""
for ((i = 0; i < 20; i++)); do
    ffmpeg -nostdin -v error -y -f lavfi -i "sine=frequency=$((180 + i * 7)):sample_rate=44100:duration=4" \
        -af "volume=-6dB,tremolo=f=4:d=0.9" -ac 1 "voice$i.wav"
    start=$(echo "$i * 15 + 0.5" | bc -l)
    voices+=(--voice "$start:voice$i.wav")
    inputs+=(-i "voice$i.wav")
    delays+="[$((i + 2)):a]aresample=48000,adelay=$(echo "$start * 1000" | bc -l | cut -d. -f1):all=1[v$i];"
done
vlabels=$(for ((i = 0; i < 20; i++)); do printf "[v%d]" "$i"; done)
# The same mix in one ffmpeg graph: music looped, trimmed, at -6 dB, faded; voices placed and mixed; the music ducked
# by a sidechain compressor keyed on the voices; the clips' sound, the ducked music and the voices summed.
graph="[1:a]aresample=48000,aformat=channel_layouts=stereo,atrim=0:300,volume=-6dB,afade=t=in:d=2,afade=t=out:st=297:d=3[music];\
${delays}${vlabels}amix=inputs=20:normalize=0,aformat=channel_layouts=stereo,asplit[voice][key];\
[music][key]sidechaincompress=threshold=0.01:ratio=20:attack=50:release=400:makeup=1[ducked];\
[0:a]aresample=48000,aformat=channel_layouts=stereo[clip];[clip][ducked][voice]amix=inputs=3:normalize=0"

ffmpeg_two_pass() {
    local stats
    stats=$(ffmpeg -nostdin -hide_banner -nostats -i film.mp4 -stream_loop -1 -i music.mp3 "${inputs[@]}" \
        -filter_complex "$graph,loudnorm=I=-14:TP=-1:LRA=11:print_format=json" -f null - 2>&1 | sed -n '/^{/,/^}/p')
    local mi mtp mlra mth off
    mi=$(echo "$stats" | awk -F'"' '/input_i/ {print $4}'); mtp=$(echo "$stats" | awk -F'"' '/input_tp/ {print $4}')
    mlra=$(echo "$stats" | awk -F'"' '/input_lra/ {print $4}'); mth=$(echo "$stats" | awk -F'"' '/input_thresh/ {print $4}')
    off=$(echo "$stats" | awk -F'"' '/target_offset/ {print $4}')
    ffmpeg -nostdin -v error -y -i film.mp4 -stream_loop -1 -i music.mp3 "${inputs[@]}" \
        -filter_complex "$graph,loudnorm=I=-14:TP=-1:LRA=11:measured_I=$mi:measured_TP=$mtp:measured_LRA=$mlra:measured_thresh=$mth:offset=$off:linear=true,aresample=48000[out]" \
        -map 0:v -map "[out]" -c:v copy -c:a aac -b:a 128k -ar 48000 -t 300 -movflags +faststart ffmpeg.mp4
}
export -f ffmpeg_two_pass
export graph

echo "runner: $RUNNER"
echo "ffmpeg: $(ffmpeg -version | head -1)"
echo "cores: $(nproc); runs: $RUNS (median)"
echo "== Soundtrack of a 5-minute film: music + 20 voice clips + ducking + loudness (two-pass) =="
: > runner.times; : > ffmpeg.times
for ((r = 0; r < RUNS; r++)); do
    seconds_of "$RUNNER" soundtrack film.mp4 -o runner.mp4 --music music.mp3 --fade-in 2 --fade-out 3 --level=-6 \
        "${voices[@]}" --duck 12 --attack 0.05 --release 0.4 --loudness=-14 --true-peak=-1 >> runner.times
    seconds_of ffmpeg_two_pass >> ffmpeg.times
done
tr=$(median < runner.times); tf=$(median < ffmpeg.times)
ratio=$(echo "scale=3; $tr / $tf" | bc -l | sed 's/^\./0./')
echo "ffmpeg (amix, sidechaincompress, loudnorm two-pass) ${tf} s, runner ${tr} s, ratio ${ratio}  $(
    if (( $(echo "$ratio <= 1.0" | bc -l) )); then echo "ok (target <= 1.0)"; else echo "MISSED (target <= 1.0)"; fi)"
echo "loudness: runner $(loudness runner.mp4); ffmpeg $(loudness ffmpeg.mp4) (target -14 LUFS, -1 dBTP)"
same=$(cmp -s <(ffmpeg -v error -i film.mp4 -map 0:v -c copy -f framemd5 - | grep -v '^#' | awk -F, '{print $NF}') \
    <(ffmpeg -v error -i runner.mp4 -map 0:v -c copy -f framemd5 - | grep -v '^#' | awk -F, '{print $NF}') && echo yes || echo NO)
echo "picture packets identical to the film's: $same"

#!/usr/bin/env bash
# Frame preparation (issue #14): 100 mixed frames as phones and design tools make them (12 MP JPEGs turned by
# EXIF, 1080p PNGs with alpha, 12 MP HEICs), prepared by `runner frames --prepare`; the peak memory of preparing
# the largest frame the runner accepts; and Ken Burns on an oriented 12 MP photo beside ffmpeg's zoompan on the
# same photo (turned with transpose, as ffmpeg 5.1 ignores EXIF orientation). Figures: median of RUNS runs.
# Usage: bench/media/frames.sh   (uses ${RUNNER_BIN:-.build/release/runner}; needs Pillow and heif-enc: scripts/setup.sh)
set -euo pipefail

RUNNER=${RUNNER_BIN:-.build/release/runner}
RUNS=${RUNS:-3}
[[ -x "$RUNNER" ]] || { echo "error: $RUNNER is not built (run: swift build -c release, or set RUNNER_BIN)" >&2; exit 2; }
RUNNER=$(cd "$(dirname "$RUNNER")" && pwd)/$(basename "$RUNNER")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/frames-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"

# timed CMD...: prints "seconds peak_rss_kb".
timed() {
    local start end
    start=$(date +%s.%N)
    /usr/bin/time -f "%M" -o rss.tmp "$@" >/dev/null 2>timed.stderr || { echo "error: $* failed:" >&2; cat timed.stderr >&2; exit 1; }
    end=$(date +%s.%N)
    echo "$(echo "$end - $start" | bc -l) $(cat rss.tmp)"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

python3 - <<'PY'
from PIL import Image, ImageDraw
import os
os.makedirs('mixed', exist_ok=True)
photo = Image.effect_mandelbrot((4032, 3024), (-2.2, -1.2, 1.0, 1.2), 120).convert('RGB')
ImageDraw.Draw(photo).rectangle((0, 0, 400, 3023), fill=(255, 0, 0))
exif = Image.Exif(); exif[274] = 6
photo.save('photo.jpg', quality=92, exif=exif.tobytes())
photo.save('photo.png')
alpha = Image.new('RGBA', (1920, 1080), (0, 0, 255, 255))
ImageDraw.Draw(alpha).rectangle((960, 0, 1919, 1079), fill=(255, 0, 255, 0))
alpha.save('alpha.png')
# The largest frame the runner accepts: 42 MP of 8-bit RGB (7936x5290), just under its 128 MB decode bound.
Image.effect_mandelbrot((7936, 5290), (-2.2, -1.2, 1.0, 1.2), 60).convert('RGB').save('largest.jpg', quality=90)
PY
heif-enc -q 80 -o photo.heic photo.png >/dev/null
for i in $(seq -w 1 34); do cp photo.jpg "mixed/a_$i.jpg"; done
for i in $(seq -w 1 33); do cp alpha.png "mixed/b_$i.png"; done
for i in $(seq -w 1 33); do cp photo.heic "mixed/c_$i.heic"; done
mkdir -p largest && cp largest.jpg largest/

echo "== frame preparation: 100 mixed frames (34 JPEG 12 MP + EXIF 6, 33 PNG 1080p + alpha, 33 HEIC 12 MP) =="
: > prep.times
for _ in $(seq "$RUNS"); do rm -rf out && timed "$RUNNER" frames ./mixed/ --prepare ./out >> prep.times; done
prep=$(cut -d' ' -f1 prep.times | median); prep_rss=$(cut -d' ' -f2 prep.times | sort -n | tail -1)
printf '  100 frames: %.2f s (%.0f ms a frame), peak RSS %d MB\n' "$prep" "$(echo "$prep * 10" | bc -l)" "$((prep_rss / 1024))"
: > largest.times
for _ in $(seq "$RUNS"); do rm -rf out && timed "$RUNNER" frames ./largest/ --prepare ./out >> largest.times; done
printf '  largest accepted frame (7936x5290 JPEG, 42 MP): %.2f s, peak RSS %d MB (bound: 300 MB)\n' \
    "$(cut -d' ' -f1 largest.times | median)" "$(( $(cut -d' ' -f2 largest.times | sort -n | tail -1) / 1024 ))"

echo "== Ken Burns on the oriented 12 MP photo, 1280x720, 5 s at 24 fps =="
: > kb.times; : > zp.times
for _ in $(seq "$RUNS"); do
    timed "$RUNNER" kenburns photo.jpg -o kb.mp4 --size 1280x720 --duration 5 --fps 24 --preset medium >> kb.times
    timed ffmpeg -nostdin -v error -y -i photo.jpg -vf "transpose=1,zoompan=z='min(zoom+0.00125,1.15)':d=120:s=1280x720:fps=24,format=yuv420p" \
        -frames:v 120 -c:v libx264 -preset medium -crf 23 zp.mp4 >> zp.times
done
kb=$(cut -d' ' -f1 kb.times | median); zp=$(cut -d' ' -f1 zp.times | median)
printf '  runner kenburns %.2f s (peak RSS %d MB), ffmpeg zoompan %.2f s (peak RSS %d MB): ratio %.2f\n' \
    "$kb" "$(( $(cut -d' ' -f2 kb.times | sort -n | tail -1) / 1024 ))" "$zp" "$(( $(cut -d' ' -f2 zp.times | sort -n | tail -1) / 1024 ))" \
    "$(echo "$kb / $zp" | bc -l)"

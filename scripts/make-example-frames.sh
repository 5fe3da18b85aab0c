#!/usr/bin/env bash
# Makes the five example frames in examples/frames/ from ffmpeg's built-in (lavfi) sources:
# no downloads, no stock photos, the same pictures on every machine. Run it again to remake them.
set -euo pipefail
cd "$(dirname "$0")/../examples/frames"
size=1280x720

still() { # NAME FILTERGRAPH
  ffmpeg -v error -y -f lavfi -i "$2" -frames:v 1 -q:v 5 "$1"
}

# A sunrise: a warm vertical gradient with a soft sun.
still frame_01_dawn.jpg \
  "gradients=s=$size:c0=0x0b1d51:c1=0x8c2f6f:c2=0xf6a04d:c3=0xfff1c1:nb_colors=4:x0=640:y0=0:x1=640:y1=720:speed=0.00001,format=rgb24,geq=r='min(255,r(X,Y)+90*exp(-((X-880)^2+(Y-470)^2)/9000))':g='min(255,g(X,Y)+80*exp(-((X-880)^2+(Y-470)^2)/9000))':b='min(255,b(X,Y)+40*exp(-((X-880)^2+(Y-470)^2)/9000))'"
# The Mandelbrot set's seahorse valley.
still frame_02_fractal.jpg "mandelbrot=s=$size:start_x=-0.743643887037151:start_y=0.13182590420533:start_scale=0.006:maxiter=1024:outer=normalized_iteration_count"
# Ripples on a lake at dusk.
still frame_03_ripples.jpg \
  "nullsrc=s=$size,format=rgb24,geq=r='40+30*sin(hypot(X-420,Y-300)/14)+25*Y/720':g='70+45*sin(hypot(X-900,Y-420)/19)+40*Y/720':b='140+60*sin(hypot(X-420,Y-300)/14)*cos(hypot(X-900,Y-420)/19)'"
# Aurora bands over a dark sky.
still frame_04_aurora.jpg \
  "nullsrc=s=$size,format=rgb24,geq=r='10+40*exp(-((Y-250-60*sin(X/130))^2)/2500)':g='20+200*exp(-((Y-300-80*sin(X/170))^2)/1800)+10*Y/720':b='40+120*exp(-((Y-240-70*sin(X/150+1))^2)/3000)+30*Y/720'"
# A spiral of color.
still frame_05_spiral.jpg "gradients=s=$size:c0=0xef476f:c1=0xffd166:c2=0x06d6a0:c3=0x118ab2:c4=0x073b4c:nb_colors=5:x0=640:y0=360:x1=900:y1=500:type=spiral:speed=0.00001"

ls -l frame_*

#!/usr/bin/env bash
# Installs what building and testing the runner needs, once and quietly: Debian's FFmpeg,
# OpenSSL, zlib and SQLite development packages (checked with pkg-config), the ffmpeg program (a test oracle),
# and the Python packages the tests use. Safe to run again: it installs only what is missing.
# `setup.sh build`: only what building needs (the development packages and pkg-config), for make install/dist.
set -euo pipefail
only_build=false
[ "${1:-}" = build ] && only_build=true

log() { printf 'setup: %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing_debs=()
for pc in libavformat:libavformat-dev libavcodec:libavcodec-dev libavutil:libavutil-dev \
          libswscale:libswscale-dev libavfilter:libavfilter-dev libcrypto:libssl-dev zlib:zlib1g-dev libheif:libheif-dev \
          sqlite3:libsqlite3-dev; do
  module=${pc%%:*}; deb=${pc#*:}
  pkg-config --exists "$module" 2>/dev/null || missing_debs+=("$deb")
done
command -v pkg-config >/dev/null 2>&1 || missing_debs+=(pkg-config)
# The font burned-in captions are drawn with (the captions stage's default).
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing_debs+=(fonts-dejavu-core)
if ! $only_build; then
  command -v ffmpeg >/dev/null 2>&1 || missing_debs+=(ffmpeg)
  command -v ffprobe >/dev/null 2>&1 || missing_debs+=(ffmpeg)
  command -v curl >/dev/null 2>&1 || missing_debs+=(curl)
  # libheif's encoder: the tests make HEIC and AVIF frames with it.
  command -v heif-enc >/dev/null 2>&1 || missing_debs+=(libheif-examples)
  # The benchmarks time commands and do arithmetic with these.
  [ -x /usr/bin/time ] || missing_debs+=(time)
  command -v bc >/dev/null 2>&1 || missing_debs+=(bc)
  # runner serve's page is tested in headless Chromium; bench/serve loads the server with wrk.
  command -v chromium >/dev/null 2>&1 || missing_debs+=(chromium)
  command -v wrk >/dev/null 2>&1 || missing_debs+=(wrk)
fi

if ((${#missing_debs[@]})); then
  log "installing Debian packages: ${missing_debs[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends \
    "${missing_debs[@]}" >/dev/null
fi

if $only_build; then
  command -v swift >/dev/null 2>&1 || { log "swift is not on PATH; install Swift 6.3 (see README)"; exit 1; }
  exit 0
fi

PYTHON=${PYTHON:-python3}
missing_py=()
"$PYTHON" -c 'import moto.server, flask_cors' 2>/dev/null || missing_py+=("moto[server]")
"$PYTHON" -c 'import awscli' 2>/dev/null || missing_py+=(awscli)
# The Runway double's conformance check needs the newest SDK the index served when it was last checked (5.24.0).
"$PYTHON" -c 'import runwayml, sys; sys.exit(tuple(map(int, runwayml.__version__.split(".")[:3])) < (5, 24, 0))' 2>/dev/null \
  || missing_py+=("runwayml>=5.24.0")
"$PYTHON" -c 'import jsonschema' 2>/dev/null || missing_py+=(jsonschema)
"$PYTHON" -c 'import yaml' 2>/dev/null || missing_py+=(PyYAML)
# Pillow writes the tests' phone-style frames: EXIF orientation, transparency, CMYK, 16-bit, palettes.
"$PYTHON" -c 'import PIL' 2>/dev/null || missing_py+=(Pillow)
# runner serve: schemathesis checks the server against its OpenAPI document; websockets drives Chromium's DevTools.
"$PYTHON" -c 'import schemathesis' 2>/dev/null || missing_py+=(schemathesis)
"$PYTHON" -c 'import websockets' 2>/dev/null || missing_py+=(websockets)

if ((${#missing_py[@]})); then
  if ! "$PYTHON" -m pip --version >/dev/null 2>&1; then
    log "installing pip"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends python3-pip >/dev/null
  fi
  log "installing Python test packages: ${missing_py[*]}"
  # Debian's own Python refuses pip installs outside a virtual environment (PEP 668); these are test tools.
  "$PYTHON" -m pip install --quiet --disable-pip-version-check "${missing_py[@]}" 2>/dev/null \
    || "$PYTHON" -m pip install --quiet --disable-pip-version-check --break-system-packages "${missing_py[@]}"
fi

command -v swift >/dev/null 2>&1 || { log "swift is not on PATH; install Swift 6.3 (see README)"; exit 1; }

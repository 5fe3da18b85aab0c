#!/usr/bin/env bash
# `make demo`: the offline quickstart. Validates examples/pipelines/quickstart.yaml, then makes its
# film: one Ken Burns clip per frame of examples/frames/, merged losslessly into out/quickstart.mp4.
# Once `runner apply` lands it runs the manifest itself; until then the same steps run by hand here.
set -euo pipefail
cd "$(dirname "$0")/.."
runner=${RUNNER_BIN:-.build/release/runner}
manifest=examples/pipelines/quickstart.yaml

echo "runner $("$runner" --version): validating $manifest"
"$runner" validate "$manifest"
echo
if "$runner" --help | grep -qE "^ +apply( |$)"; then
  "$runner" apply "$manifest"
  exit 0
fi

clips=out/quickstart/clips
mkdir -p "$clips"
echo "making one 5 s Ken Burns clip per frame (runner apply will do this from the manifest):"
seed=7
list=()
for frame in examples/frames/*.jpg examples/frames/*.png; do
  [ -e "$frame" ] || continue
  clip="$clips/$(basename "${frame%.*}").mp4"
  "$runner" kenburns "$frame" -o "$clip" --size 1280x720 --duration 5 --seed "$seed" | sed 's/^/  /'
  list+=("$clip")
  seed=$((seed + 1))
done
echo "merging ${#list[@]} clips:"
"$runner" merge "${list[@]}" -o out/quickstart.mp4 | sed 's/^/  /'
"$runner" probe out/quickstart.mp4 | sed 's/^/  /'
echo
echo "The film is at out/quickstart.mp4"

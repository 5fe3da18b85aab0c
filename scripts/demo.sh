#!/usr/bin/env bash
# `make demo`: the offline quickstart. Validates examples/pipelines/quickstart.yaml, shows its plan, and
# applies it: one Ken Burns clip per frame of examples/frames/, merged losslessly into out/quickstart.mp4.
# A second `make demo` finds every clip done and does nothing (the checkpoints live in
# examples/pipelines/.runner/state/, beside the manifest).
set -euo pipefail
cd "$(dirname "$0")/.."
runner=${RUNNER_BIN:-.build/release/runner}
manifest=examples/pipelines/quickstart.yaml

echo "runner $("$runner" --version): validating $manifest"
"$runner" validate "$manifest"
echo
"$runner" plan "$manifest"
echo
"$runner" apply "$manifest"
"$runner" probe out/quickstart.mp4 | sed 's/^/  /'
echo
echo "The film is at $(pwd)/out/quickstart.mp4"

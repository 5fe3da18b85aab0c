#!/usr/bin/env bash
# `make demo`: the offline quickstart. Validates examples/pipelines/quickstart.yaml, shows its plan, and
# applies it: one Ken Burns clip per frame of examples/frames/, merged losslessly into out/quickstart.mp4.
# A second `make demo` finds every clip done and does nothing (the checkpoints live in
# examples/pipelines/.runner/state/, beside the manifest).
set -euo pipefail
cd "$(dirname "$0")/.."
runner=${RUNNER_BIN:-.build/release/runner}
manifest=examples/pipelines/quickstart.yaml
# The examples' manifests live in examples/pipelines/ and write to the repository's out/, outside their own
# folder: a run writes there only because this script, the trusted side, says so (docs/security.md).
mkdir -p out
export RUNNER_TRUSTED_PATHS="$PWD/out"

echo "runner $("$runner" --version): validating $manifest"
"$runner" validate "$manifest"
echo
"$runner" plan "$manifest"
echo
"$runner" apply "$manifest"
"$runner" probe out/quickstart.mp4 | sed 's/^/  /'
echo
echo "The film is at $(pwd)/out/quickstart.mp4"

#!/usr/bin/env bash
# `make demo`: the offline quickstart. Until the engine lands (plan/apply), it validates the
# quickstart pipeline and says what apply will do.
set -euo pipefail
cd "$(dirname "$0")/.."
runner=${RUNNER_BIN:-.build/release/runner}
manifest=examples/pipelines/quickstart.yaml

echo "runner $("$runner" --version): validating $manifest"
"$runner" validate "$manifest"
echo
if "$runner" --help | grep -qE "^ +apply( |$)"; then
  "$runner" apply "$manifest"
else
  cat <<TXT
The quickstart is valid. Running it (runner apply) arrives with the engine: it will turn the five
frames in examples/frames/ into Ken Burns clips and merge them into out/quickstart.mp4, offline.
Try the checks meanwhile:
  $runner validate examples/pipelines/*.yaml
  $runner validate --format github examples/pipelines/seed-workflow.yaml
  $runner schema > /tmp/manifest.schema.json
TXT
fi

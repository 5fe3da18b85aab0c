#!/usr/bin/env bash
# `make demo-cloud`: the whole original workflow without an account. Starts an S3 server (moto) and the
# Runway API double on 127.0.0.1, uploads examples/frames with the AWS CLI, applies
# examples/pipelines/seed-workflow.yaml against them (S3 frames, Runway clips, a merge, a film published
# to S3 with a presigned link and a run record), fetches the link with curl, probes the film, and stops
# both servers, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
runner=${RUNNER_BIN:-.build/release/runner}
manifest=examples/pipelines/seed-workflow.yaml
user=user123

# The servers the tests use, on free loopback ports, stopped on exit.
for server in scripts/test-servers/moto.sh scripts/test-servers/runway-double.sh; do
  # shellcheck source=/dev/null
  source "$server"
done

# Any credentials work with moto; nothing here reaches a real account.
export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo-secret AWS_REGION=us-east-1 AWS_PAGER=""
export AWS_ENDPOINT_URL=$RUNNER_TEST_S3_ENDPOINT
export RUNWAYML_BASE_URL=$RUNNER_TEST_RUNWAY_URL
export RUNWAYML_API_SECRET=$RUNNER_TEST_RUNWAY_KEY
# The run record goes to the repository's out/, outside the manifest's folder: allowed here, by the trusted side.
mkdir -p out
export RUNNER_TRUSTED_PATHS="$PWD/out"

echo "S3 (moto) at $AWS_ENDPOINT_URL, the Runway double at $RUNWAYML_BASE_URL"
aws s3 mb s3://my-media >/dev/null
aws s3 cp --recursive --quiet examples/frames "s3://my-media/reference-frames/$user/"
aws s3 ls "s3://my-media/reference-frames/$user/"
echo

"$runner" plan "$manifest"
echo
"$runner" apply "$manifest"
echo

record="out/$user-v2.json"
link=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["video"]["link"])' "$record")
echo "The presigned link (from $record):"
echo "  $link"
curl -sSf -o out/demo-cloud-fetched.mp4 "$link"
echo "fetched with curl: $(wc -c <out/demo-cloud-fetched.mp4) bytes"
"$runner" probe out/demo-cloud-fetched.mp4 | sed 's/^/  /'
echo
echo "The run record is at $(pwd)/$record; the servers stop now (their data goes with them)."

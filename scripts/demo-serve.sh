#!/usr/bin/env bash
# `make demo-serve`: the original app's workflow against `runner serve`, without an account. Starts an S3 server
# (moto) and the Runway API double on 127.0.0.1, uploads examples/frames as a user's reference frames, starts
# `runner serve` (the release binary) with a template of the original S3 layout (docs/serve.md) and a token for
# that user, and runs the original
# app's three calls (list_frames, generate_videos, prepare_merge) from scripts/demo-serve.mjs (Node's standard
# library only), which prints the merged video's URL. Everything it started stops when it exits, whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
runner=${RUNNER_BIN:-.build/release/runner}
user=user123
session=demo-$(date +%s)
[[ -x "$runner" ]] || { echo "error: $runner is not built (run: make release, or set RUNNER_BIN)" >&2; exit 2; }
command -v node >/dev/null || { echo "error: node is not on PATH (Node 18 or later: the demo uses its fetch)" >&2; exit 2; }

# The servers the tests use, on free loopback ports, stopped on exit.
for server in scripts/test-servers/moto.sh scripts/test-servers/runway-double.sh; do
  # shellcheck source=/dev/null
  source "$server"
done
work=$(mktemp -d "${TMPDIR:-/tmp}/runner-demo-serve.XXXXXX")
server_pid=
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
# The test servers' scripts put their stops in the EXIT trap; keep them and stop the runner first.
previous_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
# shellcheck disable=SC2064
trap "stop_server; $previous_trap" EXIT

# Any credentials work with moto; nothing here reaches a real account.
export AWS_ACCESS_KEY_ID=demo AWS_SECRET_ACCESS_KEY=demo-secret AWS_REGION=us-east-1 AWS_PAGER=""
export AWS_ENDPOINT_URL=$RUNNER_TEST_S3_ENDPOINT
export RUNWAYML_BASE_URL=$RUNNER_TEST_RUNWAY_URL
export RUNWAYML_API_SECRET=$RUNNER_TEST_RUNWAY_KEY
echo "S3 (moto) at $AWS_ENDPOINT_URL, the Runway double at $RUNWAYML_BASE_URL"
aws s3 mb s3://my-media >/dev/null
aws s3 cp --recursive --quiet examples/frames "s3://my-media/reference-frames/$user/"

# The template: the original system's layout (reference-frames/, video-clips/, final_video_{session}.mp4).
template=$work/serve.yaml
cat >"$template" <<'EOF'
version: 1
name: demo-serve
session: ${vars.session}
vars:
  user: nobody
  session: first
  prompt: Smooth cinematic motion with natural lighting
providers:
  runway: { type: runway, apiKey: "${env:RUNWAYML_API_SECRET}", pollInterval: 1s }
state: s3://my-media/runner-state/${vars.user}/
stages:
  frames:  { type: frames, from: "s3://my-media/reference-frames/${vars.user}/" }
  clips:   { type: generate, needs: [frames], provider: runway, model: gen4_turbo, ratio: "1280:720",
             duration: 5, prompt: "${vars.prompt}", to: "s3://my-media/video-clips/${vars.user}/",
             clipName: "{frame}_video_clip.mp4" }
  film:    { type: merge, needs: [clips] }
  publish: { type: publish, needs: [film], presign: 24h,
             to: "s3://my-media/video-clips/${vars.user}/final_video_${session}.mp4" }
EOF

# A token for the one user, as an operator would write the tokens file (a line: token, then user ids).
token=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
printf '%s %s\n' "$token" "$user" >"$work/tokens"
port=$(runner_moto_free_port)
"$runner" serve --template "$template" --listen "127.0.0.1:$port" --tokens "$work/tokens" \
  --state "$work/runs.sqlite" >"$work/serve.log" 2>&1 &
server_pid=$!
runner_wait_for_url "http://127.0.0.1:$port/healthz" "runner serve" "$work/serve.log"
echo "runner serve at http://127.0.0.1:$port (its page: http://127.0.0.1:$port/, the API: /openapi.json)"
echo

if ! RUNNER_URL="http://127.0.0.1:$port" RUNNER_TOKEN=$token node scripts/demo-serve.mjs "$user" "$session"; then
  echo "the server's log:" >&2
  cat "$work/serve.log" >&2
  exit 1
fi
echo
echo "The servers stop now (their data goes with them)."

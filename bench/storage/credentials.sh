#!/usr/bin/env bash
# The first request's latency with each credential source, the runner beside the AWS CLI in the same run:
# `runner frames s3://BUCKET/` and `aws s3api list-objects-v2 --bucket BUCKET` (each a fresh process, so each
# fetches its credentials first), with the same environment and files, against the signature-checking moto server
# of scripts/test-servers/moto.sh (S3, IAM, STS) and the stand-ins of scripts/test-servers/credential_standin.py
# for the container endpoint and the instance metadata service. Prints medians of RUNS runs (default 5).
# Needs a release build: swift build -c release (or RUNNER_BIN=path/to/runner).
set -euo pipefail
cd "$(dirname "$0")/../.."
RUNNER_BIN=${RUNNER_BIN:-.build/release/runner}
RUNS=${RUNS:-5}
here=bench/storage
[ -x "$RUNNER_BIN" ] || { echo "no runner at $RUNNER_BIN; run swift build -c release or set RUNNER_BIN" >&2; exit 2; }

# shellcheck source=../../scripts/test-servers/moto.sh
source scripts/test-servers/moto.sh
work=$(mktemp -d -t runner-bench-credentials.XXXXXX)
standin_pids=()
bench_cleanup() {
  for pid in "${standin_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap 'bench_cleanup; runner_moto_stop' EXIT

endpoint=$RUNNER_TEST_STS_ENDPOINT
user_aws() {
  env -i PATH="$PATH" HOME="$work" AWS_ACCESS_KEY_ID="$RUNNER_TEST_STS_KEY_ID" AWS_SECRET_ACCESS_KEY="$RUNNER_TEST_STS_SECRET" \
    AWS_DEFAULT_REGION=us-east-1 aws --endpoint-url "$endpoint" "$@"
}
bucket=bench-credentials
user_aws s3api create-bucket --bucket "$bucket" >/dev/null
head -c 1024 /dev/urandom >"$work/frame.png"
user_aws s3api put-object --bucket "$bucket" --key frame_01.png --body "$work/frame.png" >/dev/null
issued() { user_aws sts assume-role --role-arn "$RUNNER_TEST_STS_ROLE_ARN" --role-session-name "$1" \
  --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text; }

# start_standin VAR ARGS...: starts a credentials stand-in and puts its port in VAR.
start_standin() {
  local var=$1 log
  shift
  log="$work/standin-$var.log"
  python3 -u scripts/test-servers/credential_standin.py "$@" >"$log" 2>&1 &
  standin_pids+=("$!")
  until grep -q '^port ' "$log" 2>/dev/null; do sleep 0.05; done
  printf -v "$var" '%s' "$(sed -n 's/^port //p' "$log" | head -1)"
}
read -r cid csecret ctoken < <(issued bench-container)
start_standin container_port container bench-token "$cid" "$csecret" "$ctoken"
read -r iid isecret itoken < <(issued bench-imds)
start_standin imds_port imds 3600 "$iid" "$isecret" "$itoken" "$iid" "$isecret" "$itoken"
echo bench-oidc-token >"$work/oidc-token"

# home SOURCE: a HOME for SOURCE with its config files; prints the variables the source needs.
home() {
  local dir="$work/home-$1"
  mkdir -p "$dir/.aws"
  : >"$dir/.aws/config"
  : >"$dir/.aws/credentials"
  local vars="HOME=$dir AWS_ENDPOINT_URL_S3=$endpoint AWS_ENDPOINT_URL_STS=$endpoint AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true"
  case $1 in
    environment) vars+=" AWS_ACCESS_KEY_ID=$RUNNER_TEST_STS_KEY_ID AWS_SECRET_ACCESS_KEY=$RUNNER_TEST_STS_SECRET" ;;
    profile)
      printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$RUNNER_TEST_STS_KEY_ID" "$RUNNER_TEST_STS_SECRET" >"$dir/.aws/credentials" ;;
    process)
      cat >"$dir/issue.sh" <<SCRIPT
#!/bin/sh
printf '{"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "%s"}' '$RUNNER_TEST_STS_KEY_ID' '$RUNNER_TEST_STS_SECRET'
SCRIPT
      printf '[default]\ncredential_process = /bin/sh %s\n' "$dir/issue.sh" >"$dir/.aws/config" ;;
    role)
      printf '[default]\nrole_arn = %s\nsource_profile = base\n' "$RUNNER_TEST_STS_ROLE_ARN" >"$dir/.aws/config"
      printf '[base]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$RUNNER_TEST_STS_KEY_ID" "$RUNNER_TEST_STS_SECRET" >"$dir/.aws/credentials" ;;
    web-identity) vars+=" AWS_ROLE_ARN=$RUNNER_TEST_STS_ROLE_ARN AWS_WEB_IDENTITY_TOKEN_FILE=$work/oidc-token AWS_ROLE_SESSION_NAME=bench" ;;
    container) vars+=" AWS_CONTAINER_CREDENTIALS_FULL_URI=http://127.0.0.1:$container_port/creds AWS_CONTAINER_AUTHORIZATION_TOKEN=bench-token" ;;
    imds) vars="${vars/AWS_EC2_METADATA_DISABLED=true/} AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:$imds_port" ;;
  esac
  echo "$vars"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
sources="environment profile process role web-identity container imds"
for run in $(seq "$RUNS"); do
  for source in $sources; do
    vars=$(home "$source")
    # Alternate who goes first so neither always meets a warm server.
    if [ $((run % 2)) -eq 1 ]; then order="runner aws"; else order="aws runner"; fi
    for who in $order; do
      if [ "$who" = runner ]; then
        # shellcheck disable=SC2086
        env -i PATH="$PATH" $vars python3 "$here/measure.py" "$RUNNER_BIN" frames "s3://$bucket/" >>"$work/$source-runner" \
          || { echo "runner failed with $source" >&2; exit 1; }
      else
        # shellcheck disable=SC2086
        env -i PATH="$PATH" $vars python3 "$here/measure.py" aws s3api list-objects-v2 --bucket "$bucket" >>"$work/$source-aws" \
          || { echo "aws failed with $source" >&2; exit 1; }
      fi
    done
  done
done

printf '%-14s %12s %12s %8s\n' source runner "aws s3api" ratio
for source in $sources; do
  r=$(awk '{ print $1 }' "$work/$source-runner" | median) a=$(awk '{ print $1 }' "$work/$source-aws" | median)
  printf '%-14s %11ss %11ss %8s\n' "$source" "$r" "$a" "$(awk -v a="$r" -v b="$a" 'BEGIN { printf "%.2f", a / b }')"
done

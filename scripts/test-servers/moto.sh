# Sourced by scripts/test.sh (and bench/storage/run.sh): starts two moto S3 servers on free loopback
# ports for the Storage tests and stops them on exit.
#  - RUNNER_TEST_S3_ENDPOINT: any credentials work (moto's default).
#  - RUNNER_TEST_S3_AUTH_ENDPOINT: checks signatures; RUNNER_TEST_S3_AUTH_KEY_ID / _SECRET are an IAM
#    user's key allowed s3:*, created during moto's first unauthenticated calls.
#  - RUNNER_TEST_STS_ENDPOINT: the credential-chain tests' server (S3, IAM and STS, signatures checked, except
#    AssumeRoleWithWebIdentity, which AWS never signs): RUNNER_TEST_STS_KEY_ID / _SECRET and _KEY2_ID / _KEY2_SECRET
#    are two keys of one IAM user allowed s3:* and sts:*; RUNNER_TEST_STS_ROLE_ARN is a role allowed s3:*.
# Never binds anything but 127.0.0.1.

# shellcheck source=../lib/wait-for-url.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/wait-for-url.sh"

runner_moto_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# runner_moto_start VAR_FOR_PID PORT [ENV=VALUE...] [-- SERVER ARGS...]: starts moto_server (or SERVER, a
# script that serves moto with moto_server's flags) on 127.0.0.1:PORT and waits until it answers.
runner_moto_start() {
  local pid_var=$1 port=$2
  shift 2
  local settings=()
  while (($#)) && [ "$1" != "--" ]; do settings+=("$1"); shift; done
  [ "${1:-}" = "--" ] && shift
  (($#)) || set -- moto_server
  local log
  log=$(mktemp -t runner-moto.XXXXXX.log)
  env "${settings[@]}" "$@" -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
  printf -v "$pid_var" '%s' "$!"
  runner_wait_for_url "http://127.0.0.1:$port/moto-api/" moto_server "$log"
}

# runner_moto_aws ENDPOINT ARGS...: the AWS CLI against one of these servers, with the bootstrap key that
# moto's first unchecked calls accept.
runner_moto_aws() {
  local endpoint=$1
  shift
  AWS_ACCESS_KEY_ID=bootstrap AWS_SECRET_ACCESS_KEY=bootstrap AWS_DEFAULT_REGION=us-east-1 \
    aws --endpoint-url "$endpoint" "$@"
}

# runner_moto_new_key ENDPOINT USER ID_VAR SECRET_VAR: creates an access key for USER and exports it.
runner_moto_new_key() {
  local key
  key=$(runner_moto_aws "$1" iam create-access-key --user-name "$2" \
    --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)
  export "$3=${key%%$'\t'*}" "$4=${key#*$'\t'}"
}

runner_moto_stop() {
  local pid
  for pid in ${RUNNER_MOTO_PID:-} ${RUNNER_MOTO_AUTH_PID:-} ${RUNNER_MOTO_STS_PID:-}; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
}

# Append to any EXIT trap already set rather than replacing it.
runner_moto_previous_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
# shellcheck disable=SC2064
trap "${runner_moto_previous_trap:+$runner_moto_previous_trap; }runner_moto_stop" EXIT

RUNNER_MOTO_PORT=$(runner_moto_free_port)
# With S3's conditional writes atomic (moto's are not): the lock and the records rely on them.
runner_moto_start RUNNER_MOTO_PID "$RUNNER_MOTO_PORT" -- python3 "$(dirname "${BASH_SOURCE[0]}")/moto_atomic.py"
export RUNNER_TEST_S3_ENDPOINT="http://127.0.0.1:$RUNNER_MOTO_PORT"

# The signature-checking instance: moto lets the first 3 calls through unsigned-checked, which create
# an IAM user, its policy and its key; every later call must be signed with that key.
RUNNER_MOTO_AUTH_PORT=$(runner_moto_free_port)
runner_moto_start RUNNER_MOTO_AUTH_PID "$RUNNER_MOTO_AUTH_PORT" INITIAL_NO_AUTH_ACTION_COUNT=3
export RUNNER_TEST_S3_AUTH_ENDPOINT="http://127.0.0.1:$RUNNER_MOTO_AUTH_PORT"
runner_moto_aws "$RUNNER_TEST_S3_AUTH_ENDPOINT" iam create-user --user-name runner-test >/dev/null
runner_moto_aws "$RUNNER_TEST_S3_AUTH_ENDPOINT" iam put-user-policy --user-name runner-test --policy-name s3-all \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' >/dev/null
runner_moto_new_key "$RUNNER_TEST_S3_AUTH_ENDPOINT" runner-test RUNNER_TEST_S3_AUTH_KEY_ID RUNNER_TEST_S3_AUTH_SECRET

# The credential-chain tests' instance: 6 unchecked calls make a user with two keys and a role; then every call
# must be signed (AssumeRoleWithWebIdentity excepted, as on AWS).
RUNNER_MOTO_STS_PORT=$(runner_moto_free_port)
runner_moto_start RUNNER_MOTO_STS_PID "$RUNNER_MOTO_STS_PORT" INITIAL_NO_AUTH_ACTION_COUNT=6 \
  -- python3 "$(dirname "${BASH_SOURCE[0]}")/moto_with_web_identity.py"
export RUNNER_TEST_STS_ENDPOINT="http://127.0.0.1:$RUNNER_MOTO_STS_PORT"
runner_moto_sts_aws() { runner_moto_aws "$RUNNER_TEST_STS_ENDPOINT" "$@"; }
runner_moto_sts_aws iam create-user --user-name runner-chain >/dev/null
runner_moto_sts_aws iam put-user-policy --user-name runner-chain --policy-name s3-sts \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:*","sts:*"],"Resource":"*"}]}' >/dev/null
runner_moto_new_key "$RUNNER_TEST_STS_ENDPOINT" runner-chain RUNNER_TEST_STS_KEY_ID RUNNER_TEST_STS_SECRET
runner_moto_new_key "$RUNNER_TEST_STS_ENDPOINT" runner-chain RUNNER_TEST_STS_KEY2_ID RUNNER_TEST_STS_KEY2_SECRET
RUNNER_TEST_STS_ROLE_ARN=$(runner_moto_sts_aws iam create-role --role-name runner-chain-role \
  --assume-role-policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":["sts:AssumeRole","sts:AssumeRoleWithWebIdentity"]}]}' \
  --query 'Role.Arn' --output text)
export RUNNER_TEST_STS_ROLE_ARN
runner_moto_sts_aws iam put-role-policy --role-name runner-chain-role --policy-name s3-all \
  --policy-document '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' >/dev/null

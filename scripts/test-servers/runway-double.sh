# Sourced by scripts/test.sh: starts the strict Runway API double (Tests/RunwayTests/Double/runway_double.py)
# on a free loopback port for the Runway tests and stops it on exit.
#  - RUNNER_TEST_RUNWAY_URL: its address, e.g. http://127.0.0.1:PORT (the SDK's RUNWAYML_BASE_URL).
#  - RUNNER_TEST_RUNWAY_KEY: the launch tenant's API key. Tests that change the double's config should make
#    their own tenant (POST /__double__/tenants) instead; see docs/runway-double.md.
# The double picks its own free port, binds nothing but 127.0.0.1, and exits by itself if this shell dies.

# shellcheck source=../lib/wait-for-url.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/wait-for-url.sh"

runner_runway_double_stop() {
  if [ -n "${RUNNER_RUNWAY_DOUBLE_PID:-}" ]; then
    kill "$RUNNER_RUNWAY_DOUBLE_PID" 2>/dev/null || true
    wait "$RUNNER_RUNWAY_DOUBLE_PID" 2>/dev/null || true
  fi
}

# Append to any EXIT trap already set rather than replacing it.
runner_runway_double_previous_trap=$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")
# shellcheck disable=SC2064
trap "${runner_runway_double_previous_trap:+$runner_runway_double_previous_trap; }runner_runway_double_stop" EXIT

runner_runway_double_start() {
  local log out tries=0 line=""
  log=$(mktemp -t runner-runway-double.XXXXXX.log)
  out=$(mktemp -t runner-runway-double.XXXXXX.out)
  export RUNNER_TEST_RUNWAY_KEY=${RUNNER_TEST_RUNWAY_KEY:-runner-test-key}
  python3 Tests/RunwayTests/Double/runway_double.py --port 0 --key "$RUNNER_TEST_RUNWAY_KEY" \
    --parent-pid "$$" </dev/null >"$out" 2>"$log" &
  RUNNER_RUNWAY_DOUBLE_PID=$!
  # The first stdout line is `listening http://127.0.0.1:PORT`.
  until line=$(head -n 1 "$out") && [ "${line#listening }" != "$line" ]; do
    tries=$((tries + 1))
    if [ "$tries" -gt 150 ] || ! kill -0 "$RUNNER_RUNWAY_DOUBLE_PID" 2>/dev/null; then
      echo "the Runway double did not start within 15 s; its log:" >&2
      cat "$log" >&2
      return 1
    fi
    sleep 0.1
  done
  export RUNNER_TEST_RUNWAY_URL=${line#listening }
  runner_wait_for_url "$RUNNER_TEST_RUNWAY_URL/__double__/config" "the Runway double" "$log"
}

runner_runway_double_start

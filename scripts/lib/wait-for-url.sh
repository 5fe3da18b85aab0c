# Sourced by the test-server scripts: runner_wait_for_url URL NAME LOG waits up to 15 s for URL to
# answer (any HTTP status); on time-out it prints NAME's log and returns 1.
runner_wait_for_url() {
  local url=$1 name=$2 log=$3 tries=0
  until curl -s -o /dev/null "$url"; do
    tries=$((tries + 1))
    if [ "$tries" -gt 150 ]; then
      echo "$name did not answer at $url within 15 s; its log:" >&2
      cat "$log" >&2
      return 1
    fi
    sleep 0.1
  done
}

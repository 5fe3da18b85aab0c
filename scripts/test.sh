#!/usr/bin/env bash
# Builds the package with its tests, starts the servers the integration tests need on
# 127.0.0.1 (stopped again on exit, whatever happens), and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}

# Unformatted code fails the tests before anything is built (fix: make format).
SWIFT=$SWIFT bash scripts/format.sh --check

"$SWIFT" build --build-tests

# Servers for integration tests register themselves here (each script starts its server on a
# free loopback port, exports its address, and adds its stop command to the EXIT trap).
for server in scripts/test-servers/*.sh; do
  [ -e "$server" ] || continue
  # shellcheck source=/dev/null
  source "$server"
done

# Every test uses Swift Testing; without XCTest the log ends on one closing line for the whole run.
"$SWIFT" test --skip-build --disable-xctest "$@"

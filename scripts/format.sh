#!/usr/bin/env bash
# The Swift sources' format (.swift-format: 4 spaces, 120 columns), with the toolchain's swift-format.
#   scripts/format.sh          rewrites the tree in place
#   scripts/format.sh --check  fails, listing each place, when a file is not formatted (make test runs this)
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
paths=(Package.swift Sources Tests bench)
if [[ "${1:-}" == "--check" ]]; then
    if ! "$SWIFT" format lint --strict --recursive --parallel "${paths[@]}"; then
        echo "error: the Swift sources above are not formatted; run: make format" >&2
        exit 1
    fi
else
    "$SWIFT" format format --in-place --recursive --parallel "${paths[@]}"
fi

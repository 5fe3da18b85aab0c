#!/usr/bin/env bash
# Manifest benchmark: `runner validate` as a whole process (median of 11 runs) on an example
# manifest, on a generated 5,000-stage manifest and on a 4 MiB manifest whose first 50 keys repeat after
# 55,000 others (issue #12), beside Python's yaml.safe_load of the same files (also a whole process,
# median of 11, or of 3 for the large files), for context.
set -euo pipefail
cd "$(dirname "$0")/../.."
runner=${RUNNER_BIN:-.build/release/runner}
[ -x "$runner" ] || { echo "build first: swift build -c release (or make bench)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 bench/manifest/generate.py 5000 > "$work/stages-5000.yaml"
python3 bench/manifest/generate.py --alias-bomb > "$work/alias-bomb.yaml"
python3 bench/manifest/generate.py --duplicate-keys > "$work/duplicate-keys-4mib.yaml"
cp examples/pipelines/seed-workflow.yaml "$work/seed-workflow.yaml"

python3 - "$runner" "$work/seed-workflow.yaml" "$work/stages-5000.yaml" "$work/alias-bomb.yaml" "$work/duplicate-keys-4mib.yaml" <<'PY'
import statistics, subprocess, sys, time
runner, files = sys.argv[1], sys.argv[2:]
def median_ms(command, runs=11, timeout=10):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout)
        times.append((time.perf_counter() - start) * 1000)
        if done.returncode not in (0, 2):
            sys.exit(f"{' '.join(command)} exited {done.returncode}")
    return statistics.median(times)
print(f"{'manifest':<22} {'runner validate':>16} {'python safe_load':>17} {'ratio':>7}")
for path in files:
    ours = median_ms([runner, "validate", path])
    # PyYAML keeps aliases as shared references, so it loads the bomb quickly too; a consumer that walks it would not.
    try:
        large = "bomb" in path or "4mib" in path
        peer = median_ms([sys.executable, "-c", "import sys, yaml; yaml.safe_load(open(sys.argv[1]))", path],
                         runs=3 if large else 11, timeout=120 if large else 10)
    except subprocess.TimeoutExpired:
        peer = float("inf")
    name = path.rsplit("/", 1)[-1]
    print(f"{name:<22} {ours:>13.1f} ms {peer:>14.1f} ms {ours / peer:>7.2f}")
print("targets: example under 30 ms, 5,000 stages under 1 s, the 4 MiB duplicate-key file under 1 s (whole process, median of 11);")
print("the alias bomb (9 levels of 9 aliases, 387 million nodes once expanded) is refused by the runner, not expanded")
PY

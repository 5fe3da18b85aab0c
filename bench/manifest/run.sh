#!/usr/bin/env bash
# Manifest benchmark: `runner validate` as a whole process (median of 11 runs) on an example
# manifest, on a generated 5,000-stage manifest and on a 4 MiB manifest whose first 50 keys repeat after
# 55,000 others (issue #12), beside Python's yaml.safe_load of the same files (also a whole process,
# median of 11, or of 3 for the large files), for context.
# Then the start-up floor the one binary pays before `main` (validate never initialises FFmpeg, but the loader
# maps every library the binary links): an empty C program, and the same program linked with the libraries
# `runner` links (libav*, libheif, libcrypto, zlib), each a whole process, median of 31; the difference is the
# cost of loading them. `LD_DEBUG=statistics` gives the loader's own count for `runner validate`.
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
import resource, statistics, subprocess, sys, time
runner, files = sys.argv[1], sys.argv[2:]
cpu = {}
def median_ms(command, runs=11, timeout=10):
    # Wall time, and beside it CPU time (user + system), which a busy shared machine disturbs less.
    times, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout)
        times.append((time.perf_counter() - start) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000)
        if done.returncode not in (0, 2):
            sys.exit(f"{' '.join(command)} exited {done.returncode}")
    cpu[tuple(command)] = statistics.median(cpus)
    return statistics.median(times)
print(f"{'manifest':<22} {'runner validate':>16} {'python safe_load':>17} {'ratio':>7} {'CPU: runner':>12} {'python':>9}")
for path in files:
    command = [runner, "validate", path]
    ours = median_ms(command)
    # PyYAML keeps aliases as shared references, so it loads the bomb quickly too; a consumer that walks it would not.
    peer_command = [sys.executable, "-c", "import sys, yaml; yaml.safe_load(open(sys.argv[1]))", path]
    try:
        large = "bomb" in path or "4mib" in path
        peer = median_ms(peer_command, runs=3 if large else 11, timeout=120 if large else 10)
    except subprocess.TimeoutExpired:
        peer = float("inf")
    name = path.rsplit("/", 1)[-1]
    print(f"{name:<22} {ours:>13.1f} ms {peer:>14.1f} ms {ours / peer:>7.2f} {cpu[tuple(command)]:>9.1f} ms "
          f"{cpu.get(tuple(peer_command), float('inf')):>6.1f} ms")
print("targets: example under 30 ms (issue #17: under 100 ms with libav linked), 5,000 stages under 1 s, the 4 MiB")
print("duplicate-key file under 1 s (whole process, median of 11); the alias bomb (9 levels of 9 aliases, 387 million")
print("nodes once expanded) is refused by the runner, not expanded")
PY

# The floor: what loading the linked libraries costs a process that does nothing.
printf 'int main(void) { return 0; }\n' > "$work/empty.c"
libraries=$(pkg-config --libs libavformat libavcodec libavutil libswscale libheif libcrypto zlib)
cc -O2 -o "$work/empty" "$work/empty.c"
# shellcheck disable=SC2086
cc -O2 -o "$work/empty-libav" "$work/empty.c" -Wl,--no-as-needed $libraries
python3 - "$work/empty" "$work/empty-libav" "$runner" <<'PY'
import statistics, subprocess, sys, time
empty, linked, runner = sys.argv[1:]
def median_ms(command, runs=31):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)
bare, loaded, version = median_ms([empty]), median_ms([linked]), median_ms([runner, "--version"])
print(f"start-up: empty program {bare:.1f} ms, linked with runner's C libraries {loaded:.1f} ms "
      f"(loading them: {loaded - bare:.1f} ms); runner --version {version:.1f} ms (median of 31)")
PY
echo "the loader's count for runner validate (LD_DEBUG=statistics):"
LD_DEBUG=statistics "$runner" validate examples/pipelines/quickstart.yaml 2>&1 >/dev/null \
    | sed -n 's/^ *[0-9]*: *//p' | grep -E "total startup time|time needed for relocation|number of relocations:|objects loaded" \
    | sed 's/^/  /' || true
echo "  ($(ldd "$runner" | wc -l) shared objects; $(nproc) cores at $(awk -F: '/cpu MHz/ { printf "%.0f MHz", $2; exit }' /proc/cpuinfo))"

#!/usr/bin/env bash
# Fuzzes the manifest reader with libFuzzer (AddressSanitizer): `loader` feeds arbitrary bytes to ManifestLoader
# (YAML loader, shape checks, interpolation, decoding), `interpolator` feeds arbitrary text to Template, the
# Interpolator, ManifestURL and MetadataAddress. Each harness also checks the security rules of issue #12: no
# control character and no environment value in a diagnostic, one line per GitHub annotation.
#
#   FUZZ_SECONDS=600 bench/fuzz/run.sh          # the total time, split evenly between the harnesses (default 600)
#   FUZZ_JOBS=2 bench/fuzz/run.sh               # parallel workers per harness (default 1)
#   FUZZ_SECONDS=0 bench/fuzz/run.sh            # build only
#
# The harnesses are compiled with swiftc directly (Yams, CYaml and Manifest from the package's checkout, with
# -sanitize=fuzzer,address) into bench/fuzz/.build-fuzz (git-ignored). Crashes, hangs and slow inputs land in
# .build-fuzz/findings/HARNESS/; each one found becomes a test in Tests/ManifestTests (FuzzFindingsTests).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build="$here/.build-fuzz"
seconds=${FUZZ_SECONDS:-600}
jobs=${FUZZ_JOBS:-1}
yams="$root/.build/checkouts/Yams/Sources"
[ -d "$yams" ] || (cd "$root" && swift package resolve)
mkdir -p "$build/obj" "$build/modules"

flags=(-O -g -sanitize=fuzzer,address -parse-as-library -swift-version 6 -D SWIFT_PACKAGE -Xcc -DYAML_DECLARE_STATIC)
stamp="$build/.stamp"
if [ ! -f "$stamp" ] || [ -n "$(find "$root/Sources/Manifest" "$here"/*.swift -newer "$stamp" -print -quit)" ]; then
  echo "== building the harnesses (a few minutes)"
  for c in "$yams"/CYaml/src/*.c; do
    clang -c -O1 -g -DYAML_DECLARE_STATIC -fsanitize=address,fuzzer-no-link -I "$yams/CYaml/include" "$c" -o "$build/obj/cyaml-$(basename "$c" .c).o"
  done
  swiftc "${flags[@]}" -wmo -c -module-name Yams -I "$yams/CYaml/include" \
    -emit-module -emit-module-path "$build/modules/Yams.swiftmodule" "$yams"/Yams/*.swift -o "$build/obj/Yams.o"
  swiftc "${flags[@]}" -wmo -c -enable-testing -module-name Manifest -I "$yams/CYaml/include" -I "$build/modules" \
    -emit-module -emit-module-path "$build/modules/Manifest.swiftmodule" \
    $(find "$root/Sources/Manifest" -name '*.swift' | sort) -o "$build/obj/Manifest.o"
  for harness in loader interpolator; do
    source="$here/$(tr '[:lower:]' '[:upper:]' <<<"${harness:0:1}")${harness:1}Fuzz.swift"
    swiftc "${flags[@]}" -I "$yams/CYaml/include" -I "$build/modules" "$source" \
      "$build/obj/Manifest.o" "$build/obj/Yams.o" "$build"/obj/cyaml-*.o -o "$build/fuzz-$harness" \
      2> >(grep -v "Cannot export local symbol" >&2)
  done
  touch "$stamp"
fi

[ "$seconds" -gt 0 ] || exit 0   # FUZZ_SECONDS=0: build only
share=$(( seconds / 2 ))
# LeakSanitizer is off: Swift's lazily made globals (the manifest's Shape) live until exit, which it reports as
# leaks, and in fork mode every job exits.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0}
for harness in loader interpolator; do
  findings="$build/findings/$harness"
  corpus="$build/corpus/$harness"
  mkdir -p "$findings" "$corpus"
  seeds=("$here/corpus/$harness")
  [ "$harness" = loader ] && seeds+=("$root/examples/pipelines")
  echo "== $harness: ${share}s, $jobs job(s); findings in ${findings#$root/}"
  # Fork mode keeps fuzzing after a crash, a hang (-timeout: over 10 s) or a memory blow-up (-rss_limit_mb), so one
  # run collects every finding.
  (cd "$findings" && "$build/fuzz-$harness" "$corpus" "${seeds[@]}" -max_total_time="$share" -timeout=10 \
      -rss_limit_mb=4096 -max_len=65536 -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
      -detect_leaks=0 -print_final_stats=1 -artifact_prefix="$findings/" 2>&1 | tee "$build/$harness.log" \
      | grep -E "^#[0-9]+: cov|DONE|ERROR|SUMMARY|stat::|Done|crash|timeout" | tail -n 12 || true)
done
echo "== findings"
find "$build/findings" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'slow-unit-*' -o -name 'leak-*' \) | sed "s|$root/||" || true

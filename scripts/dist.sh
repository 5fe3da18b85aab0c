#!/usr/bin/env bash
# `make dist`: dist/runner-VERSION-linux-ARCH.tar.gz, the one `runner` file built in release against the static
# Swift runtime (so no Swift toolchain is needed where it runs), with a README that names the Debian runtime
# packages it needs. The list is found from the binary itself: the libraries it names (readelf), where the loader
# finds them (ldd), and the package that owns each (dpkg -S). The binary is then checked to run `runner version`
# and `runner validate` on an example with an empty environment and no toolchain library loaded.
# SCRATCH=DIR builds in another scratch path (a cold build: SCRATCH=$(mktemp -d) make dist).
set -euo pipefail
cd "$(dirname "$0")/.."
SWIFT=${SWIFT:-swift}
flags=(--configuration release --product runner --static-swift-stdlib)
[ -n "${SCRATCH:-}" ] && flags+=(--scratch-path "$SCRATCH")

"$SWIFT" build "${flags[@]}"
binary=$("$SWIFT" build "${flags[@]}" --show-bin-path)/runner
version=$(sed -n 's/.*current = "\(.*\)".*/\1/p' Sources/RunnerCLI/Support/RunnerVersion.swift)
arch=$(uname -m)
name=runner-$version-linux-$arch
stage=$(mktemp -d "${TMPDIR:-/tmp}/runner-dist.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir "$stage/$name"
# The symbols stay in the build folder; the archive carries the program only.
strip -o "$stage/$name/runner" "$binary"

# dpkg -S knows a library by the path its package installed, which on a merged /usr may be /lib or /usr/lib.
owner() {
  local path=$1 real
  real=$(readlink -f "$path")
  for candidate in "$path" "$real" "${real#/usr}" "/usr${path#/usr}"; do
    dpkg -S "$candidate" 2>/dev/null | head -1 | cut -d: -f1 && return
  done
  echo "error: no Debian package owns $path" >&2
  return 1
}
resolved=$(ldd "$stage/$name/runner")
if grep -q "not found" <<<"$resolved"; then echo "error: libraries not found:" >&2; grep "not found" <<<"$resolved" >&2; exit 1; fi
if grep -q "/opt/swift\|swift/linux" <<<"$resolved"; then echo "error: the binary loads the Swift toolchain's libraries" >&2; exit 1; fi
packages=()
for library in $(readelf -d "$stage/$name/runner" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
  path=$(awk -v lib="$library" '$1 == lib && $3 ~ /^\// { print $3 }' <<<"$resolved")
  [ -n "$path" ] || path=$(awk -v lib="$library" '$1 ~ "/" lib "$" { print $1 }' <<<"$resolved")
  packages+=("$(owner "$path")")
done
packages=$(printf '%s\n' "${packages[@]}" | sort -u | tr '\n' ' ' | sed 's/ $//')
release=$(. /etc/os-release && echo "$PRETTY_NAME")

cat > "$stage/$name/README" <<EOF
runner $version for Linux ($arch): turn a folder of still frames into one finished video.
Built on $release with $("$SWIFT" --version 2>/dev/null | head -1), the Swift runtime linked in:
no Swift toolchain is needed to run it.

Runtime packages (Debian; the binary links these directly, and apt brings what they need):
  apt-get install --no-install-recommends $packages

Install: put runner on your PATH, e.g.  install -m 755 runner /usr/local/bin/runner
Check:   runner version  and  runner validate pipeline.yaml
EOF

# The check: no toolchain on PATH or LD_LIBRARY_PATH, no environment at all.
env -i PATH=/usr/bin:/bin "$stage/$name/runner" version
env -i PATH=/usr/bin:/bin "$stage/$name/runner" validate examples/pipelines/quickstart.yaml

mkdir -p dist
tar -C "$stage" -czf "dist/$name.tar.gz" "$name"
echo "dist/$name.tar.gz ($(du -h "dist/$name.tar.gz" | cut -f1)): runner and README; runtime packages: $packages"

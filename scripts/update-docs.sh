#!/usr/bin/env bash
# Regenerates the key reference of docs/manifest.md from the code (`runner schema --format markdown`).
set -euo pipefail
cd "$(dirname "$0")/.."
runner=${RUNNER_BIN:-.build/debug/runner}
[ -x "$runner" ] || "${SWIFT:-swift}" build
reference=$("$runner" schema --format markdown)
python3 - "$reference" <<'PY'
import re, sys
path = "docs/manifest.md"
text = open(path, encoding="utf-8").read()
begin = text.index("<!-- reference:begin")
begin = text.index("\n", begin) + 1
end = text.index("<!-- reference:end -->")
open(path, "w", encoding="utf-8").write(text[:begin] + "\n" + sys.argv[1].rstrip("\n") + "\n\n" + text[end:])
PY
echo "docs/manifest.md: key reference updated"

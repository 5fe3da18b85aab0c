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
# The model table, from the catalog (`runner models --format markdown`), between its own markers.
models=$(env -u RUNWAYML_API_SECRET "$runner" models --format markdown)
python3 - "$models" <<'PY'
import sys
path = "docs/manifest.md"
text = open(path, encoding="utf-8").read()
begin = text.index("<!-- models:begin")
begin = text.index("\n", begin) + 1
end = text.index("<!-- models:end -->")
open(path, "w", encoding="utf-8").write(text[:begin] + sys.argv[1].rstrip("\n") + "\n" + text[end:])
PY
echo "docs/manifest.md: key reference and model table updated"
bash scripts/update-openapi.sh

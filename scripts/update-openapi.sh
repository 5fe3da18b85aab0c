#!/usr/bin/env bash
# docs/openapi.json is the OpenAPI 3.1 document of `runner serve`; this writes it into
# Sources/Server/Web/OpenAPIDocument.swift, the string the server answers `GET /openapi.json` with (a binary
# carries no files beside it). OpenAPIDocumentTests fails when the two differ: edit the JSON, run this.
set -euo pipefail
cd "$(dirname "$0")/.."
source=docs/openapi.json
target=Sources/Server/Web/OpenAPIDocument.swift
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$source" \
  || { echo "error: $source is not JSON" >&2; exit 1; }
if grep -q '"""#' "$source"; then echo "error: $source holds \"\"\"#, which would end the Swift string" >&2; exit 1; fi
{
  echo '// Generated from docs/openapi.json by scripts/update-openapi.sh; edit the JSON, not this file.'
  echo
  echo '/// The OpenAPI 3.1 document `GET /openapi.json` serves: every route, parameter and answer of `runner serve`, field'
  echo '/// by field (schemathesis checks the running server against it in OpenAPIConformanceTests).'
  echo 'enum OpenAPIDocument {'
  echo '    static let json = #"""'
  sed 's/^/        /' "$source"
  echo '        """#'
  echo '}'
} >"$target.tmp"
mv "$target.tmp" "$target"
echo "wrote $target from $source"

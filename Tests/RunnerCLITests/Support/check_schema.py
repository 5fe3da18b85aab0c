"""Validates YAML manifests against the JSON Schema printed by `runner schema`.

Usage: check_schema.py SCHEMA.json MANIFEST.yaml...
Prints one line per manifest, "ok FILE" or "invalid FILE: reason", and exits 1 if any is invalid.
The validator is the `jsonschema` package from PyPI: independent of the runner's own checks.
"""
import json
import sys

import jsonschema
import yaml


def main() -> int:
    with open(sys.argv[1], encoding="utf-8") as handle:
        schema = json.load(handle)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    failed = False
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as handle:
            document = yaml.safe_load(handle)
        errors = sorted(validator.iter_errors(document), key=lambda error: list(error.path))
        if errors:
            failed = True
            reasons = "; ".join(f"{'/'.join(map(str, error.path))}: {error.message}" for error in errors)
            print(f"invalid {path}: {reasons}")
        else:
            print(f"ok {path}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

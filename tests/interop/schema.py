"""Validates a credential against a JSON Schema with the Python `jsonschema` package.

Usage: python3 schema.py <schema-file> <credential-file>
Prints one JSON line, {"valid", "errors", "validator"}, and exits 0 when it ran: the Rust
test judges the result. The validator is the one the schema's `$schema` names (the OB 3.0
schema says Draft 2019-09); format assertions are on.
"""

import json
import sys

import jsonschema


def main() -> None:
    schema_file, credential_file = sys.argv[1:3]
    with open(schema_file, encoding="utf-8") as f:
        schema = json.load(f)
    with open(credential_file, encoding="utf-8") as f:
        credential = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    errors = [
        {"path": "/".join(str(p) for p in e.absolute_path), "message": e.message[:500]}
        for e in sorted(validator.iter_errors(credential), key=lambda e: list(map(str, e.absolute_path)))
    ]
    print(json.dumps({"valid": not errors, "errors": errors, "validator": cls.__name__}))


if __name__ == "__main__":
    main()

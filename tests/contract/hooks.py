"""Schemathesis hooks for the contract run (loaded through SCHEMATHESIS_HOOKS).

Framework uploads are TOML text; schemathesis has no serializer for application/toml, so the
generated string is sent as UTF-8 bytes. It is rarely valid TOML, which is the point: the server
must answer a documented problem, never a 5xx.

Path parameters are drawn half from what schemathesis generates and half from the ids of rows
the seeded server holds (CONTRACT_IDS, written by run.sh): random ids only ever meet 404.
"""
import json
import os

import schemathesis
from hypothesis import strategies as st


@schemathesis.serializer("application/toml")
class TomlText:
    def as_requests(self, context, value):
        if isinstance(value, bytes):
            return {"data": value}
        return {"data": str(value).encode("utf-8")}

    def as_werkzeug(self, context, value):
        return self.as_requests(context, value)


# Ids of rows the seeded server holds, by resource and path parameter name (from run.sh).
_KNOWN = {}
if os.environ.get("CONTRACT_IDS"):
    with open(os.environ["CONTRACT_IDS"]) as f:
        _KNOWN = json.load(f)


def _resource(path):
    parts = path.strip("/").split("/")
    return parts[1] if parts[0] == "api" and len(parts) > 1 else parts[0]


@schemathesis.hook
def flatmap_path_parameters(context, path_parameters):
    """Draws each path parameter from the generated value or a real id for that resource."""
    known = _KNOWN.get(_resource(context.operation.path), {})
    if not path_parameters:
        return st.just(path_parameters)
    return st.fixed_dictionaries({
        name: st.one_of(st.just(value), st.sampled_from(known[name])) if known.get(name) else st.just(value)
        for name, value in path_parameters.items()
    })

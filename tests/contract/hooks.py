"""Schemathesis hooks for the contract run (loaded through SCHEMATHESIS_HOOKS).

Framework uploads are TOML text; schemathesis has no serializer for application/toml, so the
generated string is sent as UTF-8 bytes. It is rarely valid TOML, which is the point: the server
must answer a documented problem, never a 5xx.
"""
import schemathesis


@schemathesis.serializer("application/toml")
class TomlText:
    def as_requests(self, context, value):
        if isinstance(value, bytes):
            return {"data": value}
        return {"data": str(value).encode("utf-8")}

    def as_werkzeug(self, context, value):
        return self.as_requests(context, value)

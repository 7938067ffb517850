"""gunicorn's logger for onestory (docs/operations.md: `--logger-class`).

The access log names the client as the application does (core/addresses.py:
X-Forwarded-For only from a trusted proxy) and never a parent's link token, in
the request line, the path, the referrer or any header or environ value.
"""

from types import SimpleNamespace

from gunicorn.glogging import Logger

from onestory.core.addresses import client_address
from onestory.core.logs import redact_link_tokens


def _redact(value):
    return redact_link_tokens(value) if isinstance(value, str) else value


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms = {key: _redact(value) for key, value in atoms.items()}
        atoms["h"] = client_address(SimpleNamespace(META=environ)) or "-"
        return atoms

    def error(self, msg, *args, **kwargs):
        super().error(_redact(msg), *map(_redact, args), **kwargs)

    def warning(self, msg, *args, **kwargs):
        super().warning(_redact(msg), *map(_redact, args), **kwargs)

    def exception(self, msg, *args, **kwargs):
        super().exception(_redact(msg), *map(_redact, args), **kwargs)

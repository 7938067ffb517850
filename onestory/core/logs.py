"""Structured logs: one JSON object per line (security.md R40).

Every value is JSON-escaped, so a carriage return, a newline or a terminal
escape sent by an attacker (in a URL, a header, a form field) is written as
`\\r`, `\\n` or `\\u001b` inside a string and can never start a forged line. Each
line carries the request id, to join it to the audit trail. Logs name records
by id only: no personal data, passwords, codes or session ids.

Security events go to the `onestory.security` logger through `security_event`.
"""

import json
import logging
import re
from contextvars import ContextVar
from datetime import UTC, datetime

# Set by the request id middleware; read here and by the audit trail.
current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")
current_source_ip: ContextVar[str | None] = ContextVar(
    "current_source_ip", default=None
)

security_logger = logging.getLogger("onestory.security")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        # Django logs a 4xx or 5xx response after the middleware has finished:
        # the request it passes along still has its id.
        request = getattr(record, "request", None)
        if request_id := current_request_id.get() or getattr(request, "request_id", ""):
            entry["request_id"] = request_id
        event = getattr(record, "event", None)
        if isinstance(event, dict):
            entry["event"] = event
        if record.exc_info:
            entry["exception"] = redact_link_tokens(
                withhold_values(self.formatException(record.exc_info))
            )
        return json.dumps(entry, ensure_ascii=True, default=str)


# PostgreSQL names the values that broke a constraint ("Key (nhs_number)=(…)").
_DATABASE_DETAIL = re.compile(r"^(\s*DETAIL:).*$", re.MULTILINE)


def withhold_values(text: str) -> str:
    """A traceback without the database's account of the values it refused."""
    return _DATABASE_DETAIL.sub(r"\1 (withheld: it may name personal data)", text)


# A parent's questionnaire link and their sign-in link to the family's own view
# are passwords (measures:complete_questionnaire, /q/<token>/, and
# parents:use_link, /your-family/sign-in/<token>/): wherever a path is logged,
# the token is replaced.
_LINK_TOKEN = re.compile(r"(/q/(?!done/)|/your-family/sign-in/(?!sent/))[^/?#\s\"'<>]+")
REDACTED = "[link-token]"


def redact_link_tokens(text: str) -> str:
    return _LINK_TOKEN.sub(rf"\g<1>{REDACTED}", text)


class RedactLinkTokens(logging.Filter):
    """On the console handler: Django's "Not Found: /q/…" and every other line
    that names a path keep the path and lose the token."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/q/" in message or "/your-family/sign-in/" in message:
            record.msg, record.args = redact_link_tokens(message), None
        return True


def security_event(name: str, **fields) -> None:
    """A security event for the monitoring that reads the logs: what happened,
    by id, never with values typed by a user."""
    address = (
        {"source_address": current_source_ip.get()} if current_source_ip.get() else {}
    )
    security_logger.warning(name, extra={"event": {"name": name, **address, **fields}})

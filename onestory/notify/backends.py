"""Where messages go: GOV.UK Notify, or the console in development.

A backend does two things: send a message under our reference, and find a
message Notify already has by that reference (after an answer that was lost).
Either raises `NoAnswer` with Notify's status code, or None when there was no
reply at all; what that means is domain.answer_to's to say.
"""

import json
import logging
import sys
import uuid
from dataclasses import dataclass

from django.conf import settings

from onestory.notify.domain import Channel

logger = logging.getLogger("onestory.notify")


@dataclass(frozen=True)
class Outgoing:
    reference: str
    channel: str
    to: str
    to_hint: str
    template_id: str
    personalisation: dict
    kind: str


class NoAnswer(Exception):
    """Notify did not take the request: its status code (None: no reply)."""

    def __init__(self, status_code: int | None, error: str = ""):
        super().__init__(status_code, error)
        self.status_code = status_code
        self.error = error


class NotifyBackend:
    """GOV.UK Notify's API through its Python client. One per drain: the client
    keeps a connection and is not safe to share between threads."""

    def __init__(self, *, api_key: str, base_url: str, timeout: float):
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(
            api_key, base_url=base_url, timeout=timeout
        )

    def send(self, message: Outgoing) -> str:
        send = {
            Channel.EMAIL: self._email,
            Channel.SMS: self._sms,
        }[Channel(message.channel)]
        notify_id = self._call(send, message).get("id")
        if not notify_id:
            # Taken, most likely, but we cannot tell which: as good as no answer.
            raise NoAnswer(None, "no id in Notify's answer")
        return notify_id

    def find(self, reference: str) -> str | None:
        found = self._call(self.client.get_all_notifications, reference=reference)
        for notification in found.get("notifications", []):
            if notification.get("reference") == reference:
                return notification["id"]
        return None

    def _email(self, message: Outgoing) -> dict:
        return self.client.send_email_notification(
            email_address=message.to,
            template_id=message.template_id,
            personalisation=message.personalisation or None,
            reference=message.reference,
        )

    def _sms(self, message: Outgoing) -> dict:
        return self.client.send_sms_notification(
            phone_number=message.to,
            template_id=message.template_id,
            personalisation=message.personalisation or None,
            reference=message.reference,
        )

    @staticmethod
    def _call(method, *args, **kwargs):
        from notifications_python_client.errors import APIError, InvalidResponse

        try:
            return method(*args, **kwargs)
        except APIError as error:
            # The client makes a timeout or a lost connection a "503" with no
            # response: that is no answer, not Notify's; so is an answer it
            # could not read.
            if error.response is None or isinstance(error, InvalidResponse):
                cause = error.__cause__ or error
                raise NoAnswer(None, type(cause).__name__) from error
            raise NoAnswer(error.status_code, _error_name(error)) from error


def _error_name(error) -> str:
    try:
        return str(error.response.json()["errors"][0]["error"])[:40]
    except (ValueError, KeyError, IndexError, TypeError):
        return ""


class ConsoleBackend:
    """Writes each message to the log instead of sending it (development, the
    demo, and any deployment with no Notify key), the recipient only as its
    hint and the personalisation's values withheld. With DEBUG on it also
    prints the personalisation whole on standard output, as Django's console
    email backend does, so a developer can follow a sign-in link; never into
    the log."""

    sent: dict[str, str] = {}  # reference: made-up Notify id, for `find`

    def __init__(self, stream=None):
        self.stream = stream

    def send(self, message: Outgoing) -> str:
        notify_id = str(uuid.uuid4())
        logger.info(
            "%s by %s to %s (template %s, reference %s): %s",
            message.kind,
            message.channel,
            message.to_hint,
            message.template_id or "none",
            message.reference,
            dict.fromkeys(message.personalisation, "[withheld]"),
        )
        if settings.DEBUG:
            stream = self.stream or sys.stdout
            stream.write(
                f"{message.kind} by {message.channel} to {message.to_hint}: "
                f"{json.dumps(message.personalisation)}\n"
            )
            stream.flush()
        self.sent[message.reference] = notify_id
        return notify_id

    def find(self, reference: str) -> str | None:
        return self.sent.get(reference)


def backend():
    if settings.NOTIFY_BACKEND == "console":
        return ConsoleBackend()
    return NotifyBackend(
        api_key=settings.NOTIFY_API_KEY,
        base_url=settings.NOTIFY_BASE_URL,
        timeout=settings.NOTIFY_TIMEOUT_SECONDS,
    )

import threading

import pytest

from onestory.notify.backends import NotifyBackend
from tests.notify.standin import API_KEY, Standin

# The client gives up on an answer after this long; the stand-in's "timeouts"
# hang for longer.
CLIENT_TIMEOUT = 0.5


@pytest.fixture
def standin():
    server = Standin(hang_seconds=CLIENT_TIMEOUT * 3).start()
    yield server
    server.stop()


class Counted(NotifyBackend):
    """The real Notify backend, counting the requests it sends."""

    sent_requests = 0
    lock = threading.Lock()

    def send(self, message):
        self._count()
        return super().send(message)

    def find(self, reference):
        self._count()
        return super().find(reference)

    def _count(self):
        with Counted.lock:
            Counted.sent_requests += 1


@pytest.fixture
def notify_backend(standin, monkeypatch):
    """The real Notify backend, pointed at the stand-in: a new one for each
    call, as each drain makes its own."""
    monkeypatch.setattr(Counted, "sent_requests", 0)
    return lambda: Counted(
        api_key=API_KEY, base_url=standin.base_url, timeout=CLIENT_TIMEOUT
    )

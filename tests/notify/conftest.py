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


@pytest.fixture
def notify_backend(standin):
    """The real Notify backend, pointed at the stand-in: a new one for each
    call, as each drain makes its own."""
    return lambda: NotifyBackend(
        api_key=API_KEY, base_url=standin.base_url, timeout=CLIENT_TIMEOUT
    )

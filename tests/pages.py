"""Opening pages in tests: the one way to count a page's SQL queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(client, url: str, *, status: int = 200) -> int:
    """How many SQL queries opening `url` runs (checking its status)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == status, f"{url} answered {response.status_code}"
    return len(captured)

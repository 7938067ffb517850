"""The people the support tests act as."""

import pytest

from onestory.accounts.models import Role
from tests import factories


@pytest.fixture
def chair(city):
    """The council's triage chair: in no team that holds the canary family."""
    return factories.staff(
        "Tom Chair",
        city.council,
        Role.TRIAGE_CHAIR,
        teams=[factories.team("Triage", city.council)],
    )


@pytest.fixture
def episode(city):
    """The canary family's open episode of support."""
    return city.family.episodes.get()

import pytest


@pytest.fixture
def lead(city):
    return city.personas["lead_practitioner"]

"""The access scope applied family by family (`visible_to(user, checking_each=True)`,
for one record and the caseload) is exactly the scope: the same families as the
default form, for every member of staff of a demo city and of the persona city
(other organisations with and without consent, triage, emergency access, an
expired grant, another local authority)."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from onestory.accounts.models import Role, User
from onestory.families.models import BreakGlass, Family
from onestory.families.queries import list_caseload
from onestory.support.models import Involvement
from tests import factories


@pytest.fixture(params=["demo city", "persona cities"])
def cities(db, settings, request):
    if request.param == "demo city":
        settings.DEBUG = True  # the demo runs in development only
        call_command(
            "demo", families=60, seed=11, stdout=io.StringIO(), stderr=io.StringIO()
        )
        return
    elsewhere = request.getfixturevalue("elsewhere")  # and the persona city
    city = request.getfixturevalue("city")
    factories.staff("Trudy Trust", city.trust, Role.TRIAGE_CHAIR)
    outsider = request.getfixturevalue("other_hub_practitioner")
    now = timezone.now()
    for family, expires_at in [
        (city.family, now + timedelta(hours=1)),
        (elsewhere.family, now + timedelta(hours=1)),
    ]:
        BreakGlass.objects.create(
            user=outsider, family=family, reason="Test", expires_at=expires_at
        )
    lead = request.getfixturevalue("lead")
    expired = factories.family(by=lead, team=city.team_a, family_name="Expired")
    BreakGlass.objects.create(
        user=outsider, family=expired, reason="Test", expires_at=now
    )


def _staff():
    return list(
        User.objects.filter(role_grants__isnull=False)
        .distinct()
        .select_related("organisation")
        .prefetch_related("role_grants", "teams")
    )


def test_checking_each_family_sees_exactly_the_scope(cities):
    seen = {}
    for user in _staff():
        scope = set(Family.objects.visible_to(user).values_list("pk", flat=True))
        each = set(
            Family.objects.all()
            .visible_to(user, checking_each=True)
            .values_list("pk", flat=True)
        )
        assert each == scope, user
        seen[user.pk] = scope
    # The comparison means something: people see different, non-empty sets.
    assert len({frozenset(families) for families in seen.values()}) > 3
    assert max(len(families) for families in seen.values()) < Family.objects.count()


def test_the_caseload_is_the_scope_and_the_users_involvements(cities):
    checked = 0
    for user in _staff():
        involved = Involvement.objects.filter(
            practitioner=user, ended_at=None, episode__closed_at=None
        ).values("episode__family_id")
        expected = set(
            Family.objects.visible_to(user)
            .filter(pk__in=involved)
            .values_list("pk", flat=True)
        )
        assert set(list_caseload(user).values_list("pk", flat=True)) == expected
        checked += bool(expected)
    assert checked > 1

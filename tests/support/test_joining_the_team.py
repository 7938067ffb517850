"""A specialist joins the team around the family as a contributor, from a
consultation or directly, under the team-size rule (issue 13)."""

import pytest
from django.urls import reverse

from onestory.accounts.models import Role
from onestory.core.models import AuditEvent
from onestory.support import services
from onestory.support.models import Involvement
from tests import factories


@pytest.fixture
def specialist(city):
    """A perinatal specialist of the holding council, in no team of the family."""
    return factories.staff(
        "Sue Specialist",
        city.council,
        Role.SPECIALIST,
        teams=[factories.team("Perinatal mental health", city.council)],
    )


def _consult(episode, specialist, lead):
    return services.ask_consultation(
        episode=episode,
        specialist=specialist,
        question="Low mood and bonding: how best to help?",
        tried="Listening visits",
        urgency="routine",
        by=lead,
    )


def _parts(episode, person):
    return list(
        Involvement.objects.filter(episode=episode, practitioner=person)
        .order_by("started_at", "id")
        .values_list("role", "ended_at")
    )


def test_a_consulted_specialist_joins_as_a_contributor_from_the_consultation(
    city, client, episode, lead, specialist, settings
):
    settings.TEAM_SIZE_WARNING = 4  # lead, two partners and the specialist
    consultation = _consult(episode, specialist, lead)
    client.force_login(specialist)
    shown = client.get(
        reverse("support:show_consultation", args=[city.family.pk, consultation.pk])
    ).text
    join = reverse("support:join_team", args=[city.family.pk])
    assert join in shown
    assert (
        join
        in client.get(reverse("families:family_support", args=[city.family.pk])).text
    )
    page = client.get(join).text
    assert "Lena Lead, who stays their lead practitioner" in page
    assert "Families do best with a small team" not in page  # they already count
    response = client.post(join, {"reason": ""})
    assert response.status_code == 302
    (consulted, ended), (contributor, still) = _parts(episode, specialist)
    assert (consulted, contributor) == ("consulted", "contributor")
    assert ended is not None
    assert still is None
    assert (
        Involvement.objects.get(
            episode=episode, role="lead", ended_at=None
        ).practitioner
        == lead
    )
    event = AuditEvent.objects.filter(action="add_to_team").latest("sequence")
    assert event.family_id == city.family.pk
    assert event.detail == {
        "role": "contributor",
        "beyond_team_size": False,
        "was": "consulted",
    }
    record = client.get(reverse("families:family_record", args=[city.family.pk])).text
    assert join not in record  # they work with the family now


def test_a_specialist_is_added_directly_by_the_lead(
    city, client, episode, lead, specialist, settings
):
    settings.TEAM_SIZE_WARNING = 5
    client.force_login(lead)
    url = reverse("support:add_to_team", args=[city.family.pk])
    assert f'value="{specialist.pk}"' in client.get(url).text
    response = client.post(
        url, {"practitioner": specialist.pk, "role": "contributor", "reason": ""}
    )
    assert response.status_code == 302
    assert _parts(episode, specialist) == [("contributor", None)]
    # Now in the team: not offered again, and the service says so.
    assert f'value="{specialist.pk}"' not in client.get(url).text
    with pytest.raises(services.AlreadyInTheTeam):
        services.add_to_team(
            episode=episode,
            practitioner=specialist,
            role="consulted",
            reason="",
            by=lead,
        )


def test_joining_past_the_team_size_is_refused_without_a_reason(
    city, client, episode, lead, specialist, settings
):
    settings.TEAM_SIZE_WARNING = 3  # lead + two partner contributors already
    client.force_login(specialist)
    _consult(episode, specialist, lead)  # consulted: not counted against the size
    join = reverse("support:join_team", args=[city.family.pk])
    assert "Families do best with a small team" in client.get(join).text
    refused = client.post(join, {"reason": ""})
    assert refused.status_code == 200
    assert "Enter why the team needs to be bigger" in refused.text
    assert _parts(episode, specialist)[-1] == ("consulted", None)
    with pytest.raises(services.ReasonNeeded):
        services.add_to_team(
            episode=episode,
            practitioner=specialist,
            role="contributor",
            reason=" ",
            by=specialist,
        )
    client.post(join, {"reason": "Weekly parent-infant psychotherapy at home"})
    joined = Involvement.objects.get(
        episode=episode, practitioner=specialist, ended_at=None
    )
    assert (joined.role, joined.beyond_team_size) == ("contributor", True)
    assert joined.reason == "Weekly parent-infant psychotherapy at home"


@pytest.mark.security_case(7)
def test_someone_who_may_not_join_is_refused_when_posted_anyway(
    city, client, episode, lead, commissioner
):
    """A specialist of an organisation the family has not agreed to share with,
    and a commissioner, are not offered, and a post naming them is refused."""
    outsider = factories.staff("Otto Outsider", city.trust, Role.SPECIALIST)
    client.force_login(lead)
    url = reverse("support:add_to_team", args=[city.family.pk])
    assert "Otto Outsider" not in client.get(url).text
    for person in (outsider, commissioner):
        body = client.post(
            url, {"practitioner": person.pk, "role": "contributor", "reason": "Help"}
        ).text
        assert "Select someone who may join the team around the family" in body
        with pytest.raises(services.MayNotJoin, match="cannot join the team"):
            services.add_to_team(
                episode=episode,
                practitioner=person,
                role="contributor",
                reason="Help",
                by=lead,
            )
        assert _parts(episode, person) == []
    assert not AuditEvent.objects.filter(action="add_to_team").exists()


def test_only_specialists_who_may_see_the_family_use_the_join_page(
    city, same_team_practitioner, client, lead
):
    join = reverse("support:join_team", args=[city.family.pk])
    client.force_login(same_team_practitioner)
    assert client.post(join, {"reason": ""}).status_code == 403
    stranger = factories.staff("Stan Stranger", city.trust, Role.SPECIALIST)
    client.force_login(stranger)
    assert client.post(join, {"reason": ""}).status_code == 404
    assert _parts(city.family.episodes.get(), stranger) == []

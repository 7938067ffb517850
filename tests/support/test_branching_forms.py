"""Branching forms (GovukForm.reveals): the triage decision and restricted
notes. Each answer's questions sit under it, revealed by GOV.UK's radios and
checkboxes with JavaScript and all shown without; the server checks only the
chosen branch, keeps what was typed on an error, and saves nothing typed under
an answer not chosen."""

import re

import pytest
from django.urls import reverse

from onestory.accounts.models import Role
from onestory.support.models import TriageDecision
from tests import factories
from tests.support.test_triage import _awaiting, _decide, _meeting


@pytest.fixture
def meeting(city, client, lead, chair):
    _awaiting(city, lead)
    client.force_login(chair)
    return _meeting(chair)


def _input(body, input_id):
    return re.search(rf'<input[^>]*id="{input_id}"[^>]*>', body).group(0)


def _reveal(body, input_id):
    """The page from the conditional block `input_id` controls onwards."""
    tag = _input(body, input_id)
    controls = re.search(r'data-aria-controls="([\w-]+)"', tag)
    assert controls, f"{input_id} reveals nothing"
    return body[body.index(f'id="{controls.group(1)}"') :]


def _inside(body, input_id, names, before):
    """Every field in `names` is drawn after `input_id`'s reveal opens and
    before the text `before` (the next option or the end of the branch)."""
    block = _reveal(body, input_id)
    block = block[: block.index(before)]
    for name in names:
        assert f'name="{name}"' in block, name


def test_each_decision_reveals_its_own_questions(city, client, lead, meeting):
    body = client.get(
        reverse("support:decide", args=[meeting.pk, city.family.pk])
    ).content.decode()
    support, signpost, nothing = "id_outcome_0", "id_outcome_1", "id_outcome_2"
    _inside(
        body,
        support,
        ["level", "lead", "lead_reason", "offer", "specialist", "question"],
        f'id="{signpost}"',
    )
    _inside(body, signpost, ["signpost_to"], f'id="{nothing}"')
    assert "data-aria-controls" not in _input(body, nothing)
    # Nothing chosen yet: both reveals wait for JavaScript to hide them.
    assert body.count("govuk-radios__conditional--hidden") == 2
    assert body.count('name="signpost_to"') == 1  # drawn once, in its branch


@pytest.mark.parametrize(
    ("outcome", "extra", "error", "field"),
    [
        ("support", {"level": ""}, "Select the level of support", "level"),
        ("support", {"lead": "OTHER"}, "Enter why the lead is changing", "lead_reason"),
        (
            "support",
            {"specialist": "SPECIALIST"},
            "Enter the question for the specialist",
            "question",
        ),
        ("signpost", {}, "Enter where the family is signposted to", "signpost_to"),
    ],
)
def test_the_chosen_branch_is_checked_and_keeps_what_was_typed(
    city, same_team_practitioner, client, lead, meeting, outcome, extra, error, field
):
    specialist = factories.staff("Sid Specialist", city.council, Role.SPECIALIST)
    extra = {
        name: {"OTHER": same_team_practitioner.pk, "SPECIALIST": specialist.pk}.get(
            value, value
        )
        for name, value in extra.items()
    }
    response = _decide(
        client,
        meeting,
        city.family,
        lead,
        outcome=outcome,
        summary="TYPED-SUMMARY talked it through",
        offer="TYPED-OFFER",
        **extra,
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert TriageDecision.objects.count() == 0
    assert f'<a href="#id_{field}' in body
    assert error in body
    assert "TYPED-SUMMARY talked it through" in body
    assert 'value="TYPED-OFFER"' in body
    chosen = {"support": "id_outcome_0", "signpost": "id_outcome_1"}[outcome]
    assert " checked" in _input(body, chosen)
    # The chosen branch is open even before JavaScript runs.
    assert f'class="govuk-radios__conditional" id="{chosen}-reveal"' in body


def test_what_was_typed_under_an_answer_not_chosen_is_not_saved(
    city, same_team_practitioner, client, lead, meeting
):
    specialist = factories.staff("Sid Specialist", city.council, Role.SPECIALIST)
    response = _decide(
        client,
        meeting,
        city.family,
        lead,
        outcome="no_further_action",
        summary="Met by the universal offer",
        # Under "Support from us", half filled in: a new lead with no reason,
        # a specialist with no question; under "signpost", a service.
        level="targeted",
        lead=same_team_practitioner.pk,
        offer="Circle of Security",
        specialist=specialist.pk,
        signpost_to="Home-Start",
    )
    assert response.status_code == 302
    decision = TriageDecision.objects.get()
    assert (decision.level, decision.lead, decision.offer) == ("", None, "")
    assert (decision.specialist, decision.signpost_to) == (None, "")
    assert not decision.lead_changed


def test_a_signpost_saves_only_where_to(city, client, lead, meeting):
    _decide(
        client,
        meeting,
        city.family,
        lead,
        outcome="signpost",
        summary="Home-Start is the right place",
        signpost_to="Home-Start",
        offer="Circle of Security",
    )
    decision = TriageDecision.objects.get()
    assert (decision.signpost_to, decision.offer, decision.level) == (
        "Home-Start",
        "",
        "",
    )


def test_restricting_a_note_reveals_who_else_may_read_it(city, client, lead):
    client.force_login(lead)
    url = reverse("support:record_contact", args=[city.family.pk])
    body = client.get(url).content.decode()
    _inside(body, "id_notes_restricted", ["notes_roles"], "</form>")
    assert body.count('name="notes_roles"') == 3  # once each, in the reveal
    assert "govuk-checkboxes__conditional--hidden" in body
    ticked = client.post(url, {"notes_restricted": "on", "time": "bad"})
    opened = ticked.content.decode()
    assert 'class="govuk-checkboxes__conditional" id="id_notes_restricted-reveal"' in (
        opened
    )

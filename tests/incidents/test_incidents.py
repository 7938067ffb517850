"""Declaring an incident, the list most vulnerable first, widening, welfare
checks and their escalation, and standing down (docs/incidents.md)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from onestory.core.models import AuditEvent
from onestory.core.refusals import Refusal
from onestory.core.roles import Role
from onestory.incidents import areas, domain, figures, services
from onestory.incidents.models import (
    AssignedAs,
    IncidentArea,
    Method,
    Outcome,
    WelfareCheck,
)
from tests import factories
from tests.conftest import CANARY_SURNAME
from tests.incidents.conftest import declare


def _listed(incident):
    return {
        check.family_id: check
        for check in WelfareCheck.objects.filter(incident=incident, left_area_at=None)
    }


def test_declaring_lists_the_families_inside_and_no_others(city, keyham):
    incident = declare(keyham)
    listed = _listed(incident)
    assert set(listed) == {city.family.pk, keyham.due.pk, keyham.edge.pk}
    # Not the family 600 m away, nor the other local authority's at the centre.
    assert keyham.outside.pk not in listed
    assert keyham.elsewhere_family.pk not in listed


def test_the_most_vulnerable_come_first_each_showing_why(city, keyham):
    incident = declare(keyham)
    first = WelfareCheck.objects.get(incident=incident, rank=1)
    assert first.family_id == keyham.due.pk
    assert first.reasons == ["birth_due", "no_phone"]
    assert first.priority == domain.POINTS["birth_due"] + domain.POINTS["no_phone"]
    # The city's family has a phone number: none of the reasons applies.
    assert _listed(incident)[city.family.pk].reasons == []
    ranks = sorted(check.rank for check in _listed(incident).values())
    assert ranks == [1, 2, 3]


def test_the_lists_sql_order_is_the_domains_order(city, keyham, same_team_practitioner):
    """areas.RANKED (SQL) and domain.sort_key are one rule, ties included:
    families with the same points, their babies born on different days."""
    from django.db import transaction

    with transaction.atomic():
        for weeks in (20, 10, 30):
            tied = factories.family(
                by=same_team_practitioner,
                team=city.team_a,
                family_name=f"Tied{weeks}",
                postcode="PL2 1AA",
            )
            tied.members.filter(role="baby").update(
                date_of_birth=timezone.localdate() - timedelta(weeks=weeks)
            )
    incident = declare(keyham)
    tied_ranks = {
        check.family.members.get(role="baby").date_of_birth: check.rank
        for check in WelfareCheck.objects.filter(
            incident=incident, family__members__family_name__startswith="Tied"
        ).distinct()
    }
    # The youngest baby first among families with the same points.
    assert [tied_ranks[born] for born in sorted(tied_ranks, reverse=True)] == sorted(
        tied_ranks.values()
    )
    checks = list(WelfareCheck.objects.filter(incident=incident).order_by("rank"))

    def key(check):
        c = domain.Circumstances(
            birth_due_on=check.birth_due_on, youngest_born_on=check.youngest_born_on
        )
        return domain.sort_key(
            check.priority, c, (check.listed_at, str(check.family_id))
        )

    assert checks == sorted(checks, key=key)


def test_each_family_is_given_to_its_lead_practitioner(city, keyham, lead):
    incident = declare(keyham)
    check = _listed(incident)[city.family.pk]
    assert check.assigned_to == lead
    assert check.assigned_as == AssignedAs.LEAD


def test_widening_keeps_the_history_and_lists_the_families_newly_inside(city, keyham):
    incident = declare(keyham)
    area = incident.areas.get()
    wider = areas.widen(area=area, radius_m=700, by=keyham.lead)
    area.refresh_from_db()
    assert area.ended_at is not None
    assert area.replaced_by == wider
    assert wider.radius_m == 700
    assert wider.replaces == area
    listed = _listed(incident)
    assert keyham.outside.pk in listed
    assert listed[keyham.outside.pk].area == wider
    # Those listed before keep their place in the history of checks.
    assert IncidentArea.objects.filter(incident=incident).count() == 2


def test_a_narrower_circle_is_refused_with_its_reason(keyham):
    incident = declare(keyham)
    with pytest.raises(areas.NotWider):
        areas.widen(area=incident.areas.get(), radius_m=200, by=keyham.lead)


def test_a_route_with_a_buffer_and_a_list_of_postcodes(city, keyham):
    incident = declare(keyham, radius=10)
    assert set(_listed(incident)) == {city.family.pk}
    areas.add_area(
        incident=incident,
        name="Convoy route",
        kind="route",
        route="PL2 1BB\nPL6 1AA",
        buffer_m=50,
        by=keyham.lead,
    )
    assert keyham.edge.pk in _listed(incident)
    areas.add_area(
        incident=incident,
        name="Street",
        kind="postcodes",
        postcodes="pl5 1aa",
        by=keyham.lead,
    )
    assert keyham.outside.pk in _listed(incident)


def test_unknown_places_and_postcodes_are_refused_with_what_was_wrong(keyham):
    with pytest.raises(areas.UnknownPlace):
        services.declare(
            name="x",
            started_at=timezone.now(),
            area_name="x",
            kind="circle",
            where="ZZ9 9ZZ",
            radius_m=10,
            by=keyham.lead,
        )
    incident = declare(keyham)
    with pytest.raises(areas.UnknownPostcodes) as refused:
        areas.add_area(
            incident=incident,
            name="x",
            kind="postcodes",
            postcodes="PL5 1AA, PL9 9ZZ",
            by=keyham.lead,
        )
    assert "PL9 9ZZ" in refused.value.message


def test_families_closed_long_ago_are_not_listed_but_recently_closed_are(city, keyham):
    episode = keyham.edge.episodes.get()
    episode.closed_at = timezone.now() - timedelta(days=30)
    episode.save(update_fields=["closed_at"])
    outside_episode = keyham.due.episodes.get()
    outside_episode.closed_at = timezone.now() - timedelta(days=200)
    outside_episode.save(update_fields=["closed_at"])
    incident = declare(keyham)
    listed = _listed(incident)
    assert keyham.edge.pk in listed
    assert keyham.due.pk not in listed


def test_no_answer_three_times_escalates_and_an_answer_does_not(city, keyham, lead):
    incident = declare(keyham)
    check = _listed(incident)[city.family.pk]
    for _ in range(2):
        services.record_attempt(
            check=check, method=Method.PHONE, outcome=Outcome.NO_ANSWER, by=lead
        )
    check.refresh_from_db()
    assert check.escalated_at is None
    assert check.attempts == 2
    services.record_attempt(
        check=check, method=Method.VISIT, outcome=Outcome.NO_ANSWER, by=lead
    )
    check.refresh_from_db()
    assert check.escalated_at is not None
    assert check.reached_at is None
    other = _listed(incident)[keyham.edge.pk]
    services.record_attempt(
        check=other, method=Method.PHONE, outcome=Outcome.SAFE_AT_HOME, by=lead
    )
    for _ in range(3):
        services.record_attempt(
            check=other, method=Method.PHONE, outcome=Outcome.NO_ANSWER, by=lead
        )
    other.refresh_from_db()
    assert other.reached_at is not None
    assert other.escalated_at is None


def test_a_rest_centre_check_in_reaches_the_family_there(city, keyham):
    incident = declare(keyham)
    centre = services.open_rest_centre(
        incident=incident, name="Life Centre", postcode="", by=keyham.lead
    )
    check = _listed(incident)[keyham.due.pk]
    services.check_in(check=check, rest_centre=centre, by=keyham.lead)
    check.refresh_from_db()
    assert check.outcome == Outcome.AT_REST_CENTRE
    assert check.rest_centre == centre
    assert check.reached_at is not None
    board = figures.board(incident)
    assert board.reached == 1
    assert board.by_rest_centre == [("Life Centre", 1)]


def test_at_a_rest_centre_needs_the_rest_centre(city, keyham):
    incident = declare(keyham)
    check = _listed(incident)[keyham.due.pk]
    with pytest.raises(services.RestCentreNeeded):
        services.record_attempt(
            check=check,
            method=Method.VISIT,
            outcome=Outcome.AT_REST_CENTRE,
            by=keyham.lead,
        )


def test_after_stand_down_nothing_more_is_recorded(city, keyham):
    incident = declare(keyham)
    check = _listed(incident)[keyham.due.pk]
    services.stand_down(incident=incident, by=keyham.lead)
    with pytest.raises(Refusal):
        services.record_attempt(
            check=check,
            method=Method.PHONE,
            outcome=Outcome.SAFE_AT_HOME,
            by=keyham.lead,
        )
    with pytest.raises(areas.StoodDown):
        areas.add_area(
            incident=incident,
            name="x",
            kind="postcodes",
            postcodes="PL5 1AA",
            by=keyham.lead,
        )


def test_every_write_is_audited_with_the_incident(city, keyham):
    incident = declare(keyham)
    check = _listed(incident)[keyham.due.pk]
    services.record_attempt(
        check=check, method=Method.PHONE, outcome=Outcome.SAFE_AT_HOME, by=keyham.lead
    )
    services.stand_down(incident=incident, by=keyham.lead)
    actions = list(
        AuditEvent.objects.filter(detail__incident=str(incident.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )
    assert actions == [
        "declare_incident",
        "record_welfare_check",
        "stand_down_incident",
    ]
    recorded = AuditEvent.objects.get(action="record_welfare_check")
    assert recorded.family_id == keyham.due.pk


def test_the_report_after_stand_down(city, keyham):
    incident = declare(keyham)
    for check in _listed(incident).values():
        services.record_attempt(
            check=check,
            method=Method.PHONE,
            outcome=Outcome.SAFE_AT_HOME,
            by=keyham.lead,
        )
    services.stand_down(incident=incident, by=keyham.lead)
    report = figures.report(incident)
    assert report.listed == 3
    assert report.reached == 3
    # Declared an hour ago, checked now: all within 4 hours.
    assert report.within_words[0] == ("Reached within 4 hours", "100%")
    assert report.first_check_after >= timedelta(minutes=59)
    assert report.outcomes == [("Safe at home", 3)]


def test_declaring_tells_the_information_governance_leads_and_names_no_family(
    city, keyham, mailoutbox, django_capture_on_commit_callbacks
):
    ig = factories.staff("Iggy Governance", city.council, Role.INFORMATION_GOVERNANCE)
    with django_capture_on_commit_callbacks(execute=True):
        declare(keyham)
    [message] = mailoutbox
    assert message.to == [ig.email]
    assert "Unexploded bomb, Keyham" in message.subject
    assert CANARY_SURNAME not in message.body
    assert "until it is stood down" in message.body


def test_a_mail_server_that_is_down_does_not_undo_the_declaration(
    city, keyham, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from onestory.core import logs

    factories.staff("Iggy Governance", city.council, Role.INFORMATION_GOVERNANCE)
    settings.MAILERS = {  # SMTP on a port where nothing listens
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    events = []
    monkeypatch.setattr(logs, "security_event", lambda name, **f: events.append(name))
    with django_capture_on_commit_callbacks(execute=True):
        incident = declare(keyham)
    assert incident.checks.count() == 3
    assert events == ["information_governance_email_failed"]

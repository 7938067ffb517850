"""Each page of an incident runs as many queries for many families as for few
(docs/incidents.md): the page's families, their people and checkers come in
grouped queries, never one a family."""

from django.db import transaction
from django.test import Client
from django.urls import reverse

from onestory.incidents import services
from onestory.incidents.models import WelfareCheck
from tests import factories
from tests.conftest import _signed_in
from tests.pages import queries_for


def _more_families_inside(by, team, how_many):
    with transaction.atomic():
        for number in range(how_many):
            factories.family(
                by=by, team=team, family_name=f"Inside{number}", postcode="PL2 1AA"
            )


def _counts(incident, client):
    check = WelfareCheck.objects.filter(incident=incident).first()
    pk = incident.pk
    urls = {
        "summary": reverse("incidents:incident", args=[pk]),
        "families": reverse("incidents:families", args=[pk]) + "?show=all",
        "print": reverse("incidents:print", args=[pk]),
        "check": reverse("incidents:welfare_check", args=[pk, check.pk]),
        "report": reverse("incidents:report", args=[pk]),
    }
    client.get(urls["summary"])  # the session's first-request work, not the page's
    return {name: queries_for(client, url) for name, url in urls.items()}


def test_the_pages_run_the_same_queries_for_many_families_as_for_few(
    city, keyham, same_team_practitioner
):
    few = services.declare(
        name="Few",
        started_at=keyham.due.created_at,
        area_name="Centre",
        kind="circle",
        where="PL1 4AB",
        radius_m=309,
        by=keyham.lead,
    )
    client = _signed_in(Client(), keyham.lead)
    before = _counts(few, client)
    _more_families_inside(same_team_practitioner, city.team_a, 12)
    many = services.declare(
        name="Many",
        started_at=keyham.due.created_at,
        area_name="Centre",
        kind="circle",
        where="PL1 4AB",
        radius_m=309,
        by=keyham.lead,
    )
    assert many.checks.count() == few.checks.count() + 12
    after = _counts(many, client)
    assert after == before

"""Pages run a fixed number of SQL queries whatever the size of the data."""

import pytest
from django.urls import reverse

from onestory.families.models import ConsentPurpose
from tests import factories
from tests.pages import queries_for

# Session, user, roles, teams (4); on PostgreSQL, naming the connection's
# tenant for row-level security (1); the page's reads (up to 19: the family and its
# members, relationships, story, consent, requests for support, triage
# decisions, episodes, involvements and their practitioners' roles, levels,
# consultations, contacts, 4 for questionnaires and programmes, and 2 for course
# places and their registers); the audit event (up to 4:
# whether the user is using emergency access, on PostgreSQL the advisory lock on
# the end of the hash chain, reading the end, and the insert); the request's
# savepoints and the session save (5) under the test transaction; the hour's
# bulk-read count in the shared cache's table (2: the families seen, the count).
MOST_QUERIES = 34
# The caseload: the same session, user and tenant queries, the page's count,
# families and their members, what needs attention on the page in one query (it
# was seven), the audit event, savepoints and session save: 17 on PostgreSQL
# (15 on SQLite, with no tenant to name and no advisory lock).
CASELOAD_QUERIES = 17
# A search also counts the families it shows toward the hour's bulk-read limit
# (R29) in the shared cache, in a fixed number of queries however many: read
# the families seen and the count, add and increment the count, keep the
# families seen (with the cache's savepoints and its size check).
SEARCH_COUNTING = 16


def _grow(city, lead, families=25, story_edits=6):
    for number in range(families):
        factories.family(by=lead, team=city.team_a, family_name=f"Grower{number}")
    for number in range(story_edits):
        city.family.story_versions.create(
            number=number + 2,
            text=f"Version {number + 2}",
            written_by=lead,
            written_by_organisation=lead.organisation,
        )
    carer = city.family.members.get(role="parent_carer")
    _add_questionnaires(carer, lead, days=range(2, 8))
    _add_contacts_and_levels(city.family.episodes.get(), lead, city.personas)
    _add_requests(city.family.episodes.get(), lead)
    _add_plan_actions(city.family, lead, 3)
    for organisation in [city.trust, city.council]:
        city.family.consents.create(
            organisation=organisation,
            purpose=ConsentPurpose.REFERRAL,
            given_by=carer,
            given_on="2026-11-01",
            recorded_by=lead,
            recorded_by_organisation=lead.organisation,
        )


# The record's pages, each loading only its part (issue 15), on PostgreSQL
# (SQLite runs 2 fewer): the same 15 for session, tenant, audit, savepoints and
# the hour's count, the family and its members (2), then each page's own reads.
# The one-page record ran 31: it is now the timeline's, which shows everything.
RECORD_PAGE_QUERIES = {
    # open episodes, involvements, levels, consultations, requests, the plan
    # and its open actions (2); 4 for questionnaires and review points.
    "families:family_record": 25,
    "families:family_members": 16,  # relationships
    # story versions; the family's own view: adults with it, suggestions waiting.
    "families:family_story": 18,
    "families:family_consent": 16,  # consents
    # episodes with their team, levels, consultations and contacts; requests.
    "families:family_support": 22,
    "families:family_questionnaires": 19,  # 4 for questionnaires and programmes
    "families:family_courses": 17,  # course places and their registers
    "families:family_timeline": MOST_QUERIES,
}


@pytest.mark.parametrize(
    "url_name",
    ["families:my_caseload", *RECORD_PAGE_QUERIES, "families:edit_story"],
)
def test_query_count_does_not_grow_with_the_data(city, lead, lead_client, url_name):
    args = [] if url_name == "families:my_caseload" else [city.family.pk]
    url = reverse(url_name, args=args)
    # Start with one of everything, so that growth adds rows, not kinds of rows.
    _add_questionnaires(
        city.family.members.get(role="parent_carer"),
        lead,
        days=range(1, 2),
    )
    _add_plan_actions(city.family, lead, 1)
    lead_client.get(url)  # warm the session
    small = queries_for(lead_client, url)

    _grow(city, lead)
    large = queries_for(lead_client, url)

    assert small == large
    assert large <= MOST_QUERIES
    if url_name == "families:my_caseload":
        assert large <= CASELOAD_QUERIES
    assert large <= RECORD_PAGE_QUERIES.get(url_name, MOST_QUERIES)


def test_search_query_count_does_not_grow_with_the_results(city, lead, client):
    from django.core.cache import cache

    client.force_login(lead)
    url = factories.search(client, postcode="PL1 4AB").redirect_chain[-1][0]
    client.get(url)
    # Each time, every family shown is new to the hour's bulk-read count (R29),
    # which counts them all in a fixed number of cache queries.
    cache.clear()
    small = queries_for(client, url)
    _grow(city, lead)
    cache.clear()
    assert queries_for(client, url) == small <= MOST_QUERIES + SEARCH_COUNTING


def _add_questionnaires(carer, lead, days):
    from datetime import date

    from onestory.measures import instruments, services

    services.start_intervention(
        person=carer,
        programme=factories.programme(),
        deliverer=lead,
        started_on=date(2026, 9, days[0]),
        planned_weeks=12,
        instrument_codes=["PHQ9", "GAD7"],
        by=lead,
    )
    for day in days:
        services.record_response(
            person=carer,
            instrument=instruments.get("PHQ9"),
            answers={str(n): 1 for n in range(1, 10)},
            completed_on=date(2026, 10, day),
            by=lead,
        )


def _add_contacts_and_levels(episode, lead, personas):
    from datetime import UTC, datetime, timedelta

    from onestory.support import services

    start = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
    for number in range(8):
        services.record_contact(
            episode=episode,
            occurred_at=start + timedelta(days=number),
            contact_type="home_visit",
            practitioner=lead if number % 3 else personas["same_team_practitioner"],
            attendance="attended",
            purpose="intervention",
            notes=f"Visit {number}",
            notes_restricted=number == 2,
            by=lead,
        )
    services.change_level(
        episode=episode, to_level="targeted", reason="More help", by=lead
    )


def _add_requests(episode, lead):
    from datetime import date

    from onestory.support import triage

    for number in range(4):
        triage.make_request(
            episode=episode,
            to_organisation=lead.organisation,
            requested_level="specialist",
            source="hub_team",
            urgency="routine",
            reason=f"Request {number}",
            received_on=date(2026, 11, 1),
            by=lead,
        )


def _add_plan_actions(family, lead, count):
    from datetime import date

    from onestory.support import plans

    for number in range(count):
        plans.add_plan_action(
            family=family,
            description=f"Action {number}",
            owner="Lena",
            due_on=date(2026, 12, 1 + number),
            by=lead,
        )

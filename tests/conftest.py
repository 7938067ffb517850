"""Personas, named by role, around one 'canary' family whose details must never
appear in a response to someone outside its scope."""

from dataclasses import dataclass

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from onestory.accounts.models import OrganisationKind, Role
from onestory.families.models import ConsentPurpose
from onestory.support.models import Involvement, InvolvementRole
from tests import factories

CANARY_SURNAME = "Zzcanaryson"
CANARY_NHS_NUMBER = "9990000026"
CANARY_STORY = "CANARY-STORY-we-have-been-struggling-since-the-move"
CANARY_PHONE = "07700900026"  # Ofcom's drama range
CANARIES = (
    CANARY_SURNAME,
    CANARY_NHS_NUMBER,
    "999 000 0026",
    CANARY_STORY,
    CANARY_PHONE,
    "07700 900026",
)

# Tables in the family-data apps that hold no family data.
NOT_FAMILY_DATA = {
    # Where postcodes are: open reference data, no one in it.
    "incidents_postcodepoint",
    "measures_licensedtext",
    "programmes_programme",
    "programmes_course",
    "programmes_course_facilitators",
    "programmes_coursesession",
    # Anonymous feedback: no one is named in it.
    "programmes_feedback",
    "programmes_feedbacktheme",
    "programmes_feedback_themes",
}


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
)


def family_data_tables() -> set[str]:
    """The tables of family data: row-level security on PostgreSQL guards each
    one, and no hot read may scan one whole."""
    tables = set()
    for label in (
        "families",
        "measures",
        "support",
        "programmes",
        "parents",
        "incidents",
    ):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.add(model._meta.db_table)
    return tables - NOT_FAMILY_DATA


@dataclass
class City:
    council: object
    partner: object
    trust: object
    team_a: object
    team_b: object
    personas: dict
    family: object


@pytest.fixture
def city(db) -> City:
    council = factories.organisation("Test City Council")
    partner = factories.organisation(
        "Test Harbour Families", OrganisationKind.VOLUNTARY_PARTNER
    )
    trust = factories.organisation("Test Health NHS Trust", OrganisationKind.NHS_TRUST)
    team_a = factories.team("Hub A team", council)
    team_b = factories.team("Hub B team", council)
    team_v = factories.team("Partner team", partner)
    team_n = factories.team("Health visiting", trust)
    personas = {
        "lead_practitioner": factories.staff(
            "Lena Lead", council, Role.PRACTITIONER, teams=[team_a]
        ),
        "same_team_practitioner": factories.staff(
            "Sam Same", council, Role.PRACTITIONER, teams=[team_a]
        ),
        "team_manager": factories.staff(
            "Tess Manager", council, Role.TEAM_MANAGER, teams=[team_a]
        ),
        "other_hub_practitioner": factories.staff(
            "Olly Other", council, Role.PRACTITIONER, teams=[team_b]
        ),
        "partner_worker_with_consent": factories.staff(
            "Pat Partner", partner, Role.PRACTITIONER, teams=[team_v]
        ),
        "partner_worker_without_consent": factories.staff(
            "Nia Nurse", trust, Role.PRACTITIONER, teams=[team_n]
        ),
        "commissioner": factories.staff("Cas Commissioner", council, Role.COMMISSIONER),
        "admin": factories.staff("Ada Admin", council, Role.ADMINISTRATOR),
    }
    with transaction.atomic():
        family = factories.family(
            by=personas["lead_practitioner"],
            team=team_a,
            family_name=CANARY_SURNAME,
            nhs=CANARY_NHS_NUMBER,
            phone=CANARY_PHONE,
            story=CANARY_STORY,
        )
    episode = family.episodes.get()
    for name in ("partner_worker_with_consent", "partner_worker_without_consent"):
        Involvement.objects.create(
            episode=episode,
            practitioner=personas[name],
            role=InvolvementRole.CONTRIBUTOR,
        )
    family.consents.create(
        organisation=partner,
        purpose=ConsentPurpose.SHARE_RECORD,
        given_by=family.members.get(role="parent_carer"),
        given_on="2026-10-01",
        recorded_by=personas["lead_practitioner"],
        recorded_by_organisation=council,
    )
    return City(council, partner, trust, team_a, team_b, personas, family)


@dataclass
class Elsewhere:
    """A second local authority: its council, a practitioner and their family."""

    council: object
    practitioner: object
    family: object


ELSEWHERE_SURNAME = "Moorhouse"


@pytest.fixture
def elsewhere(city) -> Elsewhere:
    council = factories.organisation(
        "Moorland Council", local_authority_name="Moorland"
    )
    team = factories.team("Moorland hub team", council)
    practitioner = factories.staff("Mo Moor", council, Role.PRACTITIONER, teams=[team])
    with transaction.atomic():
        family = factories.family(
            by=practitioner,
            team=team,
            family_name=ELSEWHERE_SURNAME,
            nhs=factories.nhs_number(),
        )
    return Elsewhere(council, practitioner, family)


@pytest.fixture(autouse=True)
def _fresh_rate_limits(request):
    """Rate limits count in the shared cache, a database table: each test that
    uses the database starts with none counted."""
    from django.core.cache import cache

    names = set(request.fixturenames)
    if "transactional_db" in names or "live_server" in names:
        request.getfixturevalue("transactional_db")
    elif "db" in names:
        request.getfixturevalue("db")
    elif not request.node.get_closest_marker("django_db"):
        return
    cache.clear()


@pytest.fixture(autouse=True)
def _flushable_audit_trail(request):
    """The audit table refuses DELETE and TRUNCATE. Before a transactional test's
    database flush the triggers come off; the flush's post_migrate puts them back."""
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames:
        # Set up the database here, so that it is torn down (flushed) after us.
        request.getfixturevalue("transactional_db")
    elif not (marker and marker.kwargs.get("transaction")):
        yield
        return
    yield
    from django.db import connection

    from onestory.core import audit_chain

    audit_chain.unprotect(connection)


@pytest.fixture
def sign_in(client):
    def _sign_in(user):
        client.force_login(user)
        return client

    return _sign_in


# The city's personas, one fixture each (named by their key in city.personas,
# the lead practitioner by the short name the tests use), and for each a client
# signed in as them. The clients are all the one `client` of the test: a test
# that needs two people signed in at once gives the second a Client() of their own.


def _signed_in(client, user):
    if settings.SESSION_COOKIE_NAME in client.cookies:
        raise pytest.UsageError(
            "The test's client is signed in already: one persona client a test, "
            "and a Client() of their own for anyone else."
        )
    client.force_login(user)
    return client


@pytest.fixture
def lead(city):
    """The canary family's lead practitioner, in hub A's team."""
    return city.personas["lead_practitioner"]


@pytest.fixture
def lead_client(client, lead):
    return _signed_in(client, lead)


@pytest.fixture
def same_team_practitioner(city):
    """A practitioner in the lead's team (hub A)."""
    return city.personas["same_team_practitioner"]


@pytest.fixture
def same_team_practitioner_client(client, same_team_practitioner):
    return _signed_in(client, same_team_practitioner)


@pytest.fixture
def team_manager(city):
    """The manager of hub A's team."""
    return city.personas["team_manager"]


@pytest.fixture
def team_manager_client(client, team_manager):
    return _signed_in(client, team_manager)


@pytest.fixture
def other_hub_practitioner(city):
    """A council practitioner in hub B's team: outside the canary family's."""
    return city.personas["other_hub_practitioner"]


@pytest.fixture
def other_hub_practitioner_client(client, other_hub_practitioner):
    return _signed_in(client, other_hub_practitioner)


@pytest.fixture
def partner_worker_with_consent(city):
    """A voluntary partner's worker, involved, with the family's consent to share."""
    return city.personas["partner_worker_with_consent"]


@pytest.fixture
def partner_worker_with_consent_client(client, partner_worker_with_consent):
    return _signed_in(client, partner_worker_with_consent)


@pytest.fixture
def partner_worker_without_consent(city):
    """An NHS trust's worker, involved, without consent to share with the trust."""
    return city.personas["partner_worker_without_consent"]


@pytest.fixture
def partner_worker_without_consent_client(client, partner_worker_without_consent):
    return _signed_in(client, partner_worker_without_consent)


@pytest.fixture
def commissioner(city):
    """The council's commissioner: in no team."""
    return city.personas["commissioner"]


@pytest.fixture
def commissioner_client(client, commissioner):
    return _signed_in(client, commissioner)


@pytest.fixture
def admin(city):
    """The council's administrator (not a Django superuser)."""
    return city.personas["admin"]


@pytest.fixture
def admin_client(client, admin):
    """Signed in as the council's administrator: in place of pytest-django's
    superuser client of the same name."""
    return _signed_in(client, admin)

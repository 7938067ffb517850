"""Family personas for the family's own view: this parent, the other parent
in the same family, a paused parent, another family's parent, each given
access by the lead practitioner; and a way to sign one in through the real
link and date-of-birth steps."""

from dataclasses import dataclass
from datetime import date

import pytest
from django.db import transaction

from onestory.core import tenancy
from onestory.families import services as family_services
from onestory.families.models import PersonRole, RelationshipKind
from onestory.notify.models import Message
from onestory.parents import services
from onestory.parents.models import SignInLink
from tests import factories

OTHER_FAMILY_STORY = "OTHER-FAMILY-CANARY-we-moved-here-from-Cornwall"
OTHER_FAMILY_SURNAME = "Yyotherfamily"
LINK_BASE = "http://testserver/your-family/sign-in/"
SIGN_IN_URL = "http://testserver/your-family/sign-in/"


@dataclass
class Adult:
    person: object
    access: object
    address: str


@dataclass
class FamilyPersonas:
    this_parent: Adult
    other_parent: Adult
    paused_parent: Adult
    another_familys_parent: Adult
    other_family: object


def _adult(family, given_name, date_of_birth, *, by, related_to):
    with transaction.atomic():
        return family_services.add_member(
            family=family,
            details=family_services.PersonDetails(
                role=PersonRole.PARENT_CARER,
                given_name=given_name,
                family_name=family.members.first().family_name,
                date_of_birth=date_of_birth,
            ),
            related_to=related_to,
            relationship=RelationshipKind.PARTNER_OF,
            by=by,
        )


def give(person, address, by):
    with transaction.atomic():
        access = services.invite(
            person=person,
            address=address,
            family_agreed=True,
            sign_in_url=SIGN_IN_URL,
            by=by,
        )
    return Adult(person, access, address)


@pytest.fixture
def family_personas(city, lead) -> FamilyPersonas:
    family = city.family
    alex = family.members.get(role=PersonRole.PARENT_CARER)
    jordan = _adult(family, "Jordan", date(1991, 8, 14), by=lead, related_to=alex)
    casey = _adult(family, "Casey", date(1988, 1, 5), by=lead, related_to=alex)
    with transaction.atomic():
        other = factories.family(
            by=lead,
            team=city.team_a,
            family_name=OTHER_FAMILY_SURNAME,
            given_name="Morgan",
            story=OTHER_FAMILY_STORY,
            date_of_birth=date(1990, 2, 2),
        )
    morgan = other.members.get(role=PersonRole.PARENT_CARER)
    this_parent = give(alex, "alex@example.com", lead)
    other_parent = give(jordan, "07700 900 111", lead)
    paused = give(casey, "casey@example.com", lead)
    with transaction.atomic():
        services.pause(access=paused.access, reason="Asked us to", by=lead)
    return FamilyPersonas(
        this_parent=this_parent,
        other_parent=other_parent,
        paused_parent=paused,
        another_familys_parent=give(morgan, "morgan@example.com", lead),
        other_family=other,
    )


def latest_link(access) -> str:
    """The token of the last sign-in link queued for this adult (the outbox
    keeps the personalisation until Notify has the message)."""
    tenancy.set_tenant(access.local_authority_id)  # as the runtime role, too
    link = SignInLink.objects.filter(access=access).order_by("-created_at").first()
    message = Message.objects.get(reference=f"family-sign-in:{link.pk}")
    return message.personalisation["link"].removeprefix(LINK_BASE).rstrip("/")


def sign_in(client, adult: Adult) -> None:
    """Sign `adult` in on `client` the way they would: ask for a link, open
    it, give their date of birth."""
    response = client.post("/your-family/sign-in/", {"address": adult.address})
    assert response.status_code == 302
    token = latest_link(adult.access)
    dob = adult.person.date_of_birth
    response = client.post(
        f"/your-family/sign-in/{token}/",
        {
            "date_of_birth_0": dob.day,
            "date_of_birth_1": dob.month,
            "date_of_birth_2": dob.year,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == "/your-family/"

"""Demo city: parents and carers with the family's own view.

In the demo practitioner's first family with two adults, both have it (one
by email, one by text message), and the family has suggested changes to its
story in each state: one waiting, one added to the story, one the
practitioner will talk through, and a home visit arranged. In another of
their families the parent's access is paused. `make run` prints how to sign in as each.
"""

from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from onestory.accounts import demo as accounts_demo
from onestory.families.models import Family, PersonRole
from onestory.parents import services
from onestory.parents.models import FamilyAccess, SuggestionKind
from onestory.support import services as support
from onestory.support.models import ContactType

SIGN_IN_URL = "http://127.0.0.1:8000/your-family/sign-in/"
# Invented addresses: the demo's messages go to the console, never out.
ADDRESSES = ("parent.one@example.com", "07700 900 001", "parent.paused@example.com")
SUGGESTIONS = (
    (SuggestionKind.ADDITION, "Our health visitor has been coming every week now."),
    (SuggestionKind.CORRECTION, "Robin was born at home, not in hospital."),
    (SuggestionKind.ADDITION, "I have started going to the baby group on Tuesdays."),
)


def build_family_view() -> None:
    lead = accounts_demo.demo_practitioner()
    families = list(
        Family.objects.filter(
            episodes__closed_at=None,
            episodes__involvements__practitioner=lead,
            episodes__involvements__role="lead",
            episodes__involvements__ended_at=None,
        )
        .annotate(
            adults=Count("members", filter=Q(members__role=PersonRole.PARENT_CARER))
        )
        .order_by("-adults", "created_at")
    )
    if not families:  # a city too small for the demo practitioner to lead one
        return
    # The first with two adults (most have them), and another family.
    both, others = families[0], families[1:]
    adults = list(
        both.members.filter(role=PersonRole.PARENT_CARER).order_by("recorded_at", "id")
    )[:2]
    paused = [
        other.members.filter(role=PersonRole.PARENT_CARER).order_by("id")[0]
        for other in others[:1]
    ]
    given = [
        *zip(adults, ADDRESSES[:2], strict=False),
        *zip(paused, ADDRESSES[2:], strict=False),
    ]
    for person, address in given:
        services.invite(
            person=person,
            address=address,
            family_agreed=True,
            sign_in_url=SIGN_IN_URL,
            by=lead,
        )
    for person in paused:
        services.pause(
            access=person.family_access,
            reason="Demo: asked for a pause while the family's circumstances change",
            by=lead,
        )
    writers = [adults[0], adults[-1], adults[0]]
    made = [
        services.suggest_story_change(access=person.family_access, kind=kind, text=text)
        for person, (kind, text) in zip(writers, SUGGESTIONS, strict=True)
    ]
    services.decide_suggestion(suggestion=made[1], accept=True, by=lead)
    services.decide_suggestion(suggestion=made[2], accept=False, by=lead)
    # Their next visit, which they see coming up.
    visit_day = timezone.localdate() + timedelta(days=3)
    support.arrange_contact(
        episode=both.episodes.get(closed_at=None),
        starts_at=timezone.make_aware(datetime.combine(visit_day, time(10, 30))),
        contact_type=ContactType.HOME_VISIT,
        practitioner=lead,
        by=lead,
    )


def sign_ins() -> list[tuple[str, str, bool]]:
    """(address, date of birth in words, paused) of the demo's adults."""
    return [
        (
            access.address,
            f"{access.person.date_of_birth:%-d %-m %Y}",
            access.paused,
        )
        for access in FamilyAccess.objects.filter(
            address__in=[a.replace(" ", "") for a in ADDRESSES]
        )
        .select_related("person")
        .order_by("invited_at", "pk")
    ]

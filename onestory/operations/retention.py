"""Retention: when a family's last episode of support closed more than the
retention period ago, identifying details are removed and the rest is kept for
statistics (UK GDPR article 5(1)(e), storage limitation).

`due(now)` lists the families due; `anonymise(family)` removes, in one
transaction with its audit event: names, dates of birth (kept as the year),
NHS numbers, phone numbers, the address (kept as the postcode district), and
free text written about the family (the story, contact notes, plan, requests,
triage decisions, consultations, questionnaire answers, the family's
suggestions for its story), and each adult's access to the family's own view
(their address, links and sessions). Scores, dates of contacts, levels and
the audit trail (which holds ids, never values) are kept. Running it twice
changes nothing the second time.
"""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone

from onestory.core import audit
from onestory.core.models import AuditAction
from onestory.families.models import (
    Consent,
    Family,
    Person,
    PersonCorrection,
    StoryVersion,
)
from onestory.measures.models import QuestionnaireResponse
from onestory.parents.models import FamilyAccess, StorySuggestion
from onestory.support.models import (
    Consultation,
    Contact,
    Episode,
    Plan,
    PlanAction,
    PlanGoal,
    SupportRequest,
    TriageDecision,
)

REMOVED = "[removed at the end of the retention period]"


def due(now=None):
    """Families whose support ended more than RETENTION_YEARS ago, not yet done."""
    now = now or timezone.now()
    try:
        cutoff = now.replace(year=now.year - settings.RETENTION_YEARS)
    except ValueError:  # 29 February, in a year that has none
        cutoff = now.replace(year=now.year - settings.RETENTION_YEARS, day=28)
    open_episodes = Episode.objects.filter(family=OuterRef("pk"), closed_at=None)
    return (
        Family.objects.filter(anonymised_at=None)
        .annotate(last_closed=Max("episodes__closed_at"))
        .filter(last_closed__lt=cutoff)
        .exclude(Exists(open_episodes))
        .order_by("last_closed", "pk")
    )


@transaction.atomic
def anonymise(family: Family) -> bool:
    """Remove the family's identifying details. False if already done."""
    done = Family.objects.filter(pk=family.pk, anonymised_at=None).update(
        anonymised_at=timezone.now(),
        address_line_1=REMOVED,
        address_line_2="",
        town="",
        postcode=family.postcode.split(" ")[0][:4],
    )
    if not done:
        return False
    for person in Person.objects.filter(family=family):
        person.given_name = ""
        person.family_name = "Anonymised"
        person.nhs_number = None
        person.phone = ""
        if person.date_of_birth:
            person.date_of_birth = date(person.date_of_birth.year, 1, 1)
        if person.expected_delivery_date:
            person.expected_delivery_date = date(
                person.expected_delivery_date.year, 1, 1
            )
        person.save(
            update_fields=[
                "given_name",
                "family_name",
                "nhs_number",
                "phone",
                "date_of_birth",
                "expected_delivery_date",
            ]
        )
    StoryVersion.objects.filter(family=family).update(text=REMOVED)
    PersonCorrection.objects.filter(person__family=family).update(
        previous={}, reason=REMOVED
    )
    Contact.objects.filter(episode__family=family).update(notes="")
    Plan.objects.filter(family=family).update(strengths="")
    PlanGoal.objects.filter(plan__family=family).update(text=REMOVED)
    PlanAction.objects.filter(plan__family=family).update(
        description=REMOVED, owner="", done_note=""
    )
    SupportRequest.objects.filter(family=family).update(
        reason=REMOVED, consent_override_reason=""
    )
    TriageDecision.objects.filter(family=family).update(
        summary=REMOVED, offer="", signpost_to=""
    )
    Consultation.objects.filter(episode__family=family).update(
        question=REMOVED, tried="", advice=""
    )
    Consent.objects.filter(family=family).update(withdrawal_note="")
    QuestionnaireResponse.objects.filter(person__family=family).update(
        answers={}, amendment_reason=""
    )
    # The family's own view: each adult's address, links and sessions go, and
    # their suggestions keep only that they were made and what happened.
    FamilyAccess.objects.filter(family=family).delete()
    StorySuggestion.objects.filter(family=family).update(text=REMOVED)
    audit.record(
        action=AuditAction.ANONYMISE_FAMILY,
        by=None,
        family=family.pk,
        changed_fields=["people", "address", "free_text"],
    )
    return True

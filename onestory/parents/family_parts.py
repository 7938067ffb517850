"""What the family's own view contributes to a family's record (families/parts.py):
on the story page, how many adults have it and the suggestions waiting; in a
person's subject access export, their access and their own suggestions.

Registered by `ParentsConfig.ready()`.
"""

from django.urls import reverse

from onestory.families import parts
from onestory.families.rights import Item, by_whom, when
from onestory.parents.models import FamilyAccess, StorySuggestion, SuggestionStatus


def register() -> None:
    parts.presenter("family_view", family_view)
    parts.subject_access("support", family_view_items)


def family_view(family) -> dict:
    return {
        "url": reverse("parents:family_view_access", args=[family.pk]),
        "adults_with_access": FamilyAccess.objects.filter(family=family).count(),
        "waiting": StorySuggestion.objects.filter(
            family=family, status=SuggestionStatus.WAITING
        ).count(),
    }


def family_view_items(person) -> list[Item]:
    """Their access to the family's own view (how, by whom, any pause) and the
    suggestions for the story they made, with what happened to each."""
    items = []
    access = (
        FamilyAccess.objects.filter(person=person)
        .select_related("invited_by__organisation")
        .first()
    )
    if access is not None:
        paused = (
            f" Paused on {when(access.paused_at)}: {access.pause_reason}"
            if access.paused
            else ""
        )
        items.append(
            Item(
                "Given the family's own view",
                when(access.invited_at),
                by_whom(access.invited_by),
                f"By {access.get_channel_display()}: {access.address}.{paused}",
                # Why it was paused may be about someone else in the family.
                "The reason for the pause: review before release" if paused else "",
            )
        )
    for suggestion in StorySuggestion.objects.filter(suggested_by=person).order_by(
        "suggested_at"
    ):
        items.append(
            Item(
                f"Suggestion for the family's story: {suggestion.get_status_display()}",
                when(suggestion.suggested_at),
                person.full_name,
                suggestion.text,
            )
        )
    return items

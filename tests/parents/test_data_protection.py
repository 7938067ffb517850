"""Data protection in the family's own view: at the end of retention nothing
is kept that names or reaches an adult (their access, links and sessions go,
and the words of the family's suggestions); and a subject access export holds
their access and their own suggestions."""

from django.urls import reverse

from onestory.accounts.models import Role
from onestory.operations import retention
from onestory.parents import services
from onestory.parents.models import (
    FamilyAccess,
    FamilySession,
    SignInLink,
    StorySuggestion,
)
from tests import factories
from tests.parents.conftest import sign_in


def test_anonymising_a_family_removes_its_adults_access_and_words(
    client, city, family_personas
):
    adult = family_personas.this_parent
    sign_in(client, adult)
    services.suggest_story_change(
        access=adult.access, kind="addition", text="SUGGESTION-CANARY words"
    )
    other = family_personas.another_familys_parent
    assert retention.anonymise(city.family)
    assert not FamilyAccess.objects.filter(family=city.family).exists()
    assert not SignInLink.objects.filter(access__family=city.family).exists()
    assert not FamilySession.objects.filter(access__family=city.family).exists()
    assert list(
        StorySuggestion.objects.filter(family=city.family).values_list(
            "text", flat=True
        )
    ) == [retention.REMOVED]
    # Another family's are untouched.
    assert FamilyAccess.objects.filter(pk=other.access.pk).exists()
    assert client.get("/your-family/").status_code == 302


def test_the_subject_access_export_holds_their_access_and_suggestions(
    client, city, family_personas
):
    adult = family_personas.paused_parent
    services.suggest_story_change(
        access=family_personas.this_parent.access, kind="addition", text="Not theirs"
    )
    StorySuggestion.objects.create(
        family=city.family,
        local_authority_id=city.family.local_authority_id,
        suggested_by=adult.person,
        kind="correction",
        text="Casey's own words",
    )
    client.force_login(
        factories.staff("Ivy Governance", city.council, Role.INFORMATION_GOVERNANCE)
    )
    export = client.post(
        reverse("families:subject_access"), {"person": adult.person.pk}
    ).text
    assert "Given the family&#x27;s own view" in export
    assert "casey@example.com" in export
    assert "Asked us to" in export  # the pause's reason, marked for review
    assert "The reason for the pause: review before release" in export
    assert "Casey&#x27;s own words" in export
    assert "Not theirs" not in export

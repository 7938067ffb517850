"""PostgreSQL: a parent signs in and reads their pages as the runtime role
(row-level security forced, no tenant from a staff sign-in): the address,
the link's token and the session's key each name their own tenant, and
another local authority's family stays invisible."""

import pytest
from django.db import connection

from onestory.parents.models import FamilyAccess
from tests.core.conftest import app_role  # noqa: F401  (the fixture)
from tests.parents.conftest import OTHER_FAMILY_STORY, give, sign_in

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
)


@pytest.mark.security_case(5)
def test_a_parent_signs_in_and_reads_as_the_runtime_role(
    client,
    family_personas,
    elsewhere,
    app_role,  # noqa: F811
):
    moor = elsewhere.family.members.get(role="parent_carer")
    give(moor, "alex@example.com", elsewhere.practitioner)  # same address, elsewhere
    with app_role:
        sign_in(client, family_personas.this_parent)
        story = client.get("/your-family/story/")
        suggested = client.post(
            "/your-family/story/suggest/", {"kind": "addition", "text": "We moved."}
        )
        visible = FamilyAccess.objects.count()  # after the page: its tenant only
    assert story.status_code == 200
    assert "CANARY-STORY" in story.content.decode()
    assert OTHER_FAMILY_STORY not in story.content.decode()
    assert suggested.status_code == 302
    assert visible == 4  # this local authority's four, not Moorland's

"""PostgreSQL row-level security: the second wall between local authorities
(security requirement R4, cases 5 and 6, and case 36's "permission denied").

These run in the PostgreSQL pass of the suite, as a role made the way
docs/operations.md says (`python -m onestory app_role`): not a superuser, no
BYPASSRLS, not the owner. SQLite has no row-level security.
"""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from onestory.core import tenancy
from onestory.families.models import Family
from tests import factories
from tests.conftest import CANARY_SURNAME, family_data_tables
from tests.conftest import ELSEWHERE_SURNAME as ELSEWHERE
from tests.core.conftest import APP_ROLE

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
)


def _sql(statement, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchall() if cursor.description else cursor.rowcount


def test_every_family_data_table_has_forced_row_level_security(db):
    rows = _sql(
        "SELECT relname, relrowsecurity, relforcerowsecurity, "
        "(SELECT count(*) FROM pg_policy WHERE polrelid = pg_class.oid) "
        "FROM pg_class WHERE relname = ANY(%s)",
        [sorted(family_data_tables())],
    )
    assert {row[0] for row in rows} == family_data_tables()
    unprotected = [row[0] for row in rows if row[1:] != (True, True, 1)]
    assert unprotected == []


def test_the_runtime_role_passes_the_checks_and_the_test_role_fails_them(app_role):
    assert tenancy.runtime_role_problems(APP_ROLE) == []
    # The suite itself connects as a superuser: exactly what the check flags.
    assert any("superuser" in p for p in tenancy.runtime_role_problems())
    with app_role:
        flags = _sql(
            "SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user"
        )
    assert flags == [(False, False)]


@pytest.mark.security_case(5)
def test_no_tenant_set_sees_no_rows_at_all(city, elsewhere, app_role):
    tenancy.set_tenant(None)
    with app_role:
        counts = {
            table: _sql(f"SELECT count(*) FROM {table}")[0][0]  # noqa: S608
            for table in sorted(family_data_tables())
        }
    assert set(counts.values()) == {0}
    # The same tables as the owner, for contrast: the rows are there.
    assert _sql("SELECT count(*) FROM families_family")[0][0] == 2


@pytest.mark.security_case(5)
def test_a_tenant_sees_only_its_own_rows(city, elsewhere, app_role):
    tenancy.set_tenant(city.family.local_authority_id)
    with app_role:
        names = _sql("SELECT family_name FROM families_person ORDER BY family_name")
        by_id = _sql(
            "SELECT id FROM families_family WHERE id = %s", [elsewhere.family.pk]
        )
        updated = _sql(
            "UPDATE families_family SET town = 'X' WHERE id = %s", [elsewhere.family.pk]
        )
        deleted = _sql("DELETE FROM support_contact")
    assert ELSEWHERE not in {name for (name,) in names}
    assert CANARY_SURNAME in {name for (name,) in names}
    assert by_id == []
    assert updated == 0
    assert deleted == 0
    elsewhere.family.refresh_from_db()
    assert elsewhere.family.town != "X"


@pytest.mark.security_case(6)
def test_moving_a_row_to_another_tenant_violates_the_policy(
    city, lead, elsewhere, app_role
):
    tenancy.set_tenant(city.family.local_authority_id)
    with app_role:
        with (
            pytest.raises(DatabaseError, match="row-level security"),
            transaction.atomic(),
        ):
            _sql(
                "UPDATE families_family SET local_authority_id = %s WHERE id = %s",
                [elsewhere.family.local_authority_id, city.family.pk],
            )
        # Nor may a row be added under another local authority's family.
        with (
            pytest.raises(DatabaseError, match="row-level security"),
            transaction.atomic(),
        ):
            _sql(
                "INSERT INTO families_storyversion (family_id, number, text, "
                "written_at, written_by_id, written_by_organisation_id) "
                "SELECT %s, 99, 'x', now(), %s, %s",
                [
                    elsewhere.family.pk,
                    lead.pk,
                    city.council.pk,
                ],
            )
    assert Family.objects.get(pk=city.family.pk).local_authority_id != (
        elsewhere.family.local_authority_id
    )


@pytest.mark.security_case(36)
def test_the_runtime_role_cannot_change_or_empty_the_audit_trail(city, lead, app_role):
    factories.clear_audit_trail()
    from onestory.core import audit
    from onestory.core.models import AuditAction

    with transaction.atomic():
        audit.record(action=AuditAction.VIEW_FAMILY, by=lead, family=city.family)
    with app_role:
        for statement in [
            "UPDATE core_auditevent SET actor_id = NULL",
            "DELETE FROM core_auditevent",
            "TRUNCATE core_auditevent",
        ]:
            with (
                pytest.raises(DatabaseError, match="permission denied"),
                transaction.atomic(),
            ):
                _sql(statement)


def test_the_application_works_as_the_runtime_role(
    city, elsewhere, app_role, lead_client
):
    """The middleware names the user's tenant: pages work, the audit is written,
    and another local authority's family is a 404 even by its id."""
    with app_role:
        page = lead_client.get(reverse("families:family_record", args=[city.family.pk]))
        refused = lead_client.get(
            reverse("families:family_record", args=[elsewhere.family.pk])
        )
        caseload = lead_client.get(reverse("families:my_caseload"))
        audited = _sql(
            "SELECT count(*) FROM core_auditevent WHERE family_id = %s",
            [city.family.pk],
        )[0][0]
    assert page.status_code == 200
    assert CANARY_SURNAME in page.text
    assert refused.status_code == 404
    assert ELSEWHERE not in refused.text
    assert CANARY_SURNAME in caseload.text
    assert audited >= 1


def test_a_parent_completes_a_questionnaire_link_as_the_runtime_role(
    city, lead, app_role, client
):
    """The parent is not signed in: the link's token names its tenant."""
    from onestory.measures.models import QuestionnaireResponse

    carer = city.family.members.get(role="parent_carer")
    client.force_login(lead)
    with app_role:
        sent = client.post(
            reverse("measures:send_questionnaire_link", args=[city.family.pk]),
            {"person": carer.pk, "instrument": "GAD7", "address": "parent@example.org"},
        )
        client.logout()
        path = factories.questionnaire_link_path()
        opened = client.get(path)
        answered = client.post(path, {f"item_{n}": "1" for n in range(1, 8)})
        wrong = client.get("/q/not-a-real-token/")
    assert sent.status_code == 302
    assert opened.status_code == 200
    assert answered.status_code == 302
    assert wrong.status_code == 404
    assert QuestionnaireResponse.objects.filter(person=carer).count() == 1


def test_the_service_report_works_as_the_runtime_role(
    city, lead, team_manager, elsewhere, app_role, client
):
    """The report's hand-written SQL runs under row-level security: it counts
    the tenant's families, and a download is written and audited."""
    from onestory.insights import domain
    from tests.insights.test_views import _seen_in

    period = domain.last_full_quarter(timezone.localdate())
    _seen_in(period, city.family, lead, count=2)
    _seen_in(period, elsewhere.family, elsewhere.practitioner, count=2)
    client.force_login(team_manager)
    with app_role:
        page = client.get(reverse("insights:service_report"))
        download = client.get(reverse("insights:export_report", args=["xlsx"]))
    assert page.status_code == 200
    figure = page.text[page.text.index('id="figure-R1"') :]
    assert ">1</p>" in figure[:600]
    assert download.status_code == 200

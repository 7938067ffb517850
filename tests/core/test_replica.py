"""Reads from a replica (core/replica.py, docs/operations.md): only the marked
reports and downloads read there, every write and the audit trail stay on the
primary, and row-level security holds on the replica connection too.

The `replica` alias is a second connection to the test database (a test
mirror), so these tests commit their data (transaction=True) for it to see."""

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from onestory.core import replica
from onestory.core.models import AuditEvent
from tests.conftest import CANARY_SURNAME
from tests.conftest import ELSEWHERE_SURNAME as ELSEWHERE

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

ROUTED = override_settings(DATABASE_ROUTERS=["onestory.core.replica.ReplicaRouter"])
# Reads (DECLARE: a server-side cursor for one), the replica's own
# transaction around them on PostgreSQL, and the report's JIT switched off in it.
READS = ("SELECT", "WITH", "DECLARE", "BEGIN", "COMMIT", "SET LOCAL jit = off")
MARKED = [
    ("families:export_caseload", ["csv"], "lead_practitioner"),
    ("insights:service_report", [], "commissioner"),
    ("insights:print_report", [], "commissioner"),
    ("insights:export_report", ["csv"], "commissioner"),
    ("insights:export_report", ["xlsx"], "commissioner"),
]


class Captured:
    """The SQL each alias ran inside the block."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections["replica"])
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)

    def sql(self, alias):
        context = self.primary if alias == "default" else self.replica
        return [query["sql"] for query in context.captured_queries]


def test_the_replica_connection_refuses_writes():
    with (
        pytest.raises(DatabaseError, match=r"read-only|readonly"),
        connections["replica"].cursor() as cursor,
    ):
        cursor.execute("CREATE TABLE replica_write_probe (n integer)")


@pytest.mark.parametrize(("name", "args", "persona"), MARKED)
def test_marked_reads_use_the_replica_and_their_audit_the_primary(
    city, client, name, args, persona
):
    client.force_login(city.personas[persona])
    before = AuditEvent.objects.count()
    with ROUTED, Captured() as captured:
        response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    on_replica = captured.sql("replica")
    on_primary = captured.sql("default")
    assert on_replica, "nothing was read from the replica"
    assert [sql for sql in on_replica if not sql.startswith(READS)] == []
    assert not [sql for sql in on_replica if "core_auditevent" in sql]
    assert not [sql for sql in on_replica if "onestory_cache" in sql]
    # The audit event chains to the end of the trail read on the primary.
    assert [
        sql for sql in on_primary if sql.startswith('INSERT INTO "core_auditevent"')
    ]
    assert [sql for sql in on_primary if 'FROM "core_auditevent"' in sql]
    assert AuditEvent.objects.count() == before + 1


def test_the_caseload_download_reads_its_families_from_the_replica_alone(lead_client):
    with ROUTED, Captured() as captured:
        response = lead_client.get(reverse("families:export_caseload", args=["csv"]))
    assert CANARY_SURNAME in response.content.decode()
    assert [sql for sql in captured.sql("replica") if '"families_family"' in sql]
    assert not [sql for sql in captured.sql("default") if '"families_family"' in sql]


def test_without_a_replica_everything_uses_the_primary(lead_client):
    with Captured() as captured:
        response = lead_client.get(reverse("families:export_caseload", args=["csv"]))
    assert CANARY_SURNAME in response.content.decode()
    assert captured.sql("replica") == []
    assert [sql for sql in captured.sql("default") if '"families_family"' in sql]


def test_unmarked_pages_use_the_primary_even_with_a_replica(city, lead_client):
    with ROUTED, Captured() as captured:
        response = lead_client.get(
            reverse("families:family_record", args=[city.family.pk])
        )
    assert response.status_code == 200
    assert captured.sql("replica") == []


def _names_on_replica():
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT family_name FROM families_person")
        return {name for (name,) in cursor.fetchall()}


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row-level security is PostgreSQL's"
)
def test_the_replica_reads_as_the_users_local_authority_and_nothing_after(
    city, lead, elsewhere, app_role
):
    with ROUTED, app_role.on("replica"):
        with replica.replica_reads(lead):
            alias = replica.reads_alias()
            inside = _names_on_replica()
        after = _names_on_replica()
        with transaction.atomic(using="replica"):
            # The primary's tenant is not the replica's: nothing is carried over.
            connection.cursor().execute(
                "SELECT set_config('app.tenant_id', %s, false)",
                [str(city.family.local_authority_id)],
            )
            unset = _names_on_replica()
    assert alias == "replica"
    assert CANARY_SURNAME in inside
    assert ELSEWHERE not in inside
    assert after == set()
    assert unset == set()
    assert replica.reads_alias() == "default"


def test_the_reports_own_sql_reads_from_the_replica_alone(commissioner_client):
    """The report's raw SQL (insights/queries.run, and `SET LOCAL jit` on
    PostgreSQL) uses the replica's connection, not the default one."""
    with ROUTED, Captured() as captured:
        response = commissioner_client.get(reverse("insights:service_report"))
    assert response.status_code == 200
    assert [sql for sql in captured.sql("replica") if sql.startswith("WITH ")]
    assert not [sql for sql in captured.sql("default") if sql.startswith("WITH ")]
    assert not [sql for sql in captured.sql("default") if "jit" in sql]

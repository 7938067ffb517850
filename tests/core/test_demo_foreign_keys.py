"""The demo's load on PostgreSQL checks foreign keys once at the end
(onestory.core.demo.foreign_keys_checked_after_load): the schema after it is the
schema before it, and a row that refers to nothing still fails the load."""

import io
import uuid

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from onestory.accounts.models import Organisation, OrganisationKind
from onestory.core.demo import foreign_keys_checked_after_load, insert

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's constraints"
)


def foreign_keys():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid),"
            " c.condeferrable, c.condeferred, c.convalidated"
            " FROM pg_constraint c WHERE c.contype = 'f' ORDER BY 1, 2"
        )
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_the_demo_leaves_every_foreign_key_as_the_migrations_made_it(settings):
    settings.DEBUG = True  # the demo runs in development only
    before = foreign_keys()
    assert before, "the schema has foreign keys"
    call_command(
        "demo", families=20, seed=7, stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert foreign_keys() == before


@pytest.mark.django_db(transaction=True)
def test_a_row_that_refers_to_nothing_fails_the_load():
    orphan = Organisation(
        name="Nowhere",
        kind=OrganisationKind.choices[0][0],
        local_authority_id=uuid.uuid4(),
    )
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        foreign_keys_checked_after_load(),
    ):
        insert(Organisation, [orphan])
    assert not Organisation.objects.filter(name="Nowhere").exists()
    assert foreign_keys(), "the constraints are back after the failed load"

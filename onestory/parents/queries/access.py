"""Finding an adult's sign-in link, family session and access, and the
family's adults' access for staff pages.

A sign-in link and a family session are found by the hash of their secret
before the local authority is known: on PostgreSQL the hash alone shows that
one row (its row-level security policy), which names the local authority, and
the connection is then set to it (core/tenancy.py), as for a questionnaire
link."""

from django.utils import timezone

from onestory.core import tenancy
from onestory.parents import domain
from onestory.parents.models import (
    FamilyAccess,
    FamilySession,
    SignInLink,
)


def _by_secret(model, field: str, secret_hash: str):
    """The row whose `field` is this hash, with the connection set to its
    local authority; None for no row."""
    if tenancy.row_level_security():
        tenancy.set_tenant(None, link_token_hash=secret_hash)
        area = (
            model.objects.filter(**{field: secret_hash})
            .values_list("local_authority_id", flat=True)
            .first()
        )
        if area is None:
            return None
        tenancy.set_tenant(area, link_token_hash=secret_hash)
    return (
        model.objects.select_related(
            "access__person", "access__family__local_authority"
        )
        .filter(**{field: secret_hash})
        .first()
    )


def find_link(token: str) -> SignInLink | None:
    return _by_secret(SignInLink, "token_hash", domain.hash_secret(token))


def session_for(key: str) -> FamilySession | None:
    """The family session this cookie names, while it lasts and its adult's
    access is not paused; None otherwise."""
    if not key:
        return None
    session = _by_secret(FamilySession, "key_hash", domain.hash_secret(key))
    if session is None or session.ended_at is not None or session.access.paused:
        return None
    over = domain.session_over(
        started_at=session.started_at,
        last_seen_at=session.last_seen_at,
        now=timezone.now(),
    )
    return None if over else session


def accesses_with_address(channel: str, address: str) -> list[tuple]:
    """(access id, local authority id) of everyone given the family's own view
    with this address, in any local authority (one adult may be known to
    two). Leaves the connection set to none: each is then read with its own
    local authority set."""
    key = domain.address_key(channel, address)
    if tenancy.row_level_security():
        tenancy.set_tenant(None, link_token_hash=key)
    found = list(
        FamilyAccess.objects.filter(address_key=key, channel=channel).values_list(
            "pk", "local_authority_id"
        )
    )
    tenancy.set_tenant(None)
    return found


def access_in_area(pk, area) -> FamilyAccess:
    tenancy.set_tenant(area)
    return FamilyAccess.objects.select_related("family__local_authority").get(pk=pk)


def accesses_in(family) -> dict:
    """The family's adults' access to its own view, by person id (staff pages)."""
    return {
        access.person_id: access
        for access in FamilyAccess.objects.filter(family=family).select_related(
            "invited_by", "paused_by"
        )
    }

"""Synthetic people and organisations for tests. NHS numbers from the 999 range."""

import itertools
import os
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from onestory.accounts import totp
from onestory.accounts.models import (
    Authenticator,
    LocalAuthority,
    Organisation,
    OrganisationKind,
    RoleGrant,
    Team,
    User,
)
from onestory.families import services
from onestory.families.domain import nhs_check_digit
from onestory.families.models import PersonRole
from onestory.notify.models import Message

_serial = itertools.count(500_000)


def nhs_number() -> str:
    while True:
        first_nine = f"999{next(_serial):06d}"
        check = nhs_check_digit(first_nine)
        if check is not None:
            return f"{first_nine}{check}"


def local_authority(name: str = "Tamarside") -> LocalAuthority:
    return LocalAuthority.objects.get_or_create(name=name)[0]


def organisation(
    name: str, kind=OrganisationKind.COUNCIL, local_authority_name="Tamarside"
) -> Organisation:
    return Organisation.objects.create(
        name=name, kind=kind, local_authority=local_authority(local_authority_name)
    )


def team(name: str, organisation: Organisation) -> Team:
    return Team.objects.create(name=name, organisation=organisation)


def staff(
    name: str, organisation: Organisation, *roles, teams=(), enrolled=True
) -> User:
    email = name.lower().replace(" ", ".") + "@test.onestory.example"
    user = User.objects.create_user(
        email,
        password="correct horse battery staple",
        full_name=name,
        organisation=organisation,
    )
    RoleGrant.objects.bulk_create(RoleGrant(user=user, role=role) for role in roles)
    user.teams.set(teams)
    if enrolled:
        Authenticator.objects.create(user=user, secret=totp.new_secret())
    return User.objects.get(pk=user.pk)  # fresh: no cached roles or teams


def family(
    *,
    by: User,
    team: Team,
    family_name: str = "Testerson",
    given_name: str = "Alex",
    postcode: str = "PL1 4AB",
    story: str = "We would like some help.",
    nhs: str | None = None,
    phone: str = "",
    date_of_birth: date = date(1994, 3, 27),
):
    return services.add_family(
        address=services.Address(
            line_1="1 Test Street", line_2="", town="Tamarside", postcode=postcode
        ),
        carer=services.PersonDetails(
            role=PersonRole.PARENT_CARER,
            given_name=given_name,
            family_name=family_name,
            date_of_birth=date_of_birth,
            nhs_number=nhs or nhs_number(),
            phone=phone,
        ),
        child=services.PersonDetails(
            role=PersonRole.BABY,
            given_name="Robin",
            family_name=family_name,
            date_of_birth=date(2026, 6, 1),
        ),
        story=story,
        team=team,
        by=by,
    )


def checked_radio(body: str, name: str) -> str | None:
    """The value of the checked radio button called `name` in a page, if any."""
    import re

    for tag in re.findall(r"<input[^>]*>", body):
        if f'name="{name}"' in tag and "checked" in tag and 'type="radio"' in tag:
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


def clear_audit_trail() -> None:
    """Empty the audit trail inside the test's transaction, so a test sees only
    its own events. The append-only triggers come off and go back on around it;
    all of it is rolled back with the test."""
    from django.db import connection

    from onestory.core import audit_chain
    from onestory.core.models import AuditEvent

    audit_chain.unprotect(connection)
    AuditEvent.objects.all().delete()
    audit_chain.protect(connection)


def current_code(user) -> str:
    """A code the user's authenticator app would show now and that has not been
    used: for the step now, or the one after (within the drift allowed). At most
    two sign-ins per user in 30 seconds."""
    import time

    authenticator = Authenticator.objects.get(user=user)
    now = totp.step_at(time.time())
    last = authenticator.last_used_step or 0
    # Now if unused, else the next step: either stays valid if the clock moves
    # on to the next step before the code is checked.
    step = now if now > last else now + 1
    return totp.code_for(authenticator.secret, step)


def search(client, **fields):
    """Search for families as the page does: post, then follow to the results."""
    from django.urls import reverse

    return client.post(reverse("families:search_families"), fields, follow=True)


def at_once(target, arguments) -> None:
    """Run `target(argument)` for each argument in its own thread, all starting
    at the same moment, each with its own database connection; wait for all."""
    import threading

    from django.db import connections

    start = threading.Barrier(len(arguments))

    def run(argument):
        try:
            start.wait()
            target(argument)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(a,)) for a in arguments]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


def contact(family, *, by, notes, restricted=False, when=None, **fields):
    """An attended home visit with notes, in the family's open episode."""
    from django.utils import timezone

    from onestory.support import services as support_services

    return support_services.record_contact(
        **{
            "episode": family.episodes.get(closed_at=None),
            "occurred_at": when or timezone.now(),
            "contact_type": "home_visit",
            "practitioner": by,
            "attendance": "attended",
            "purpose": "review",
            "notes": notes,
            "notes_restricted": restricted,
            "by": by,
        }
        | fields
    )


def course(name: str, *, accredits=True, renewal_months=None, makes_champion=False):
    """A training course (get or create: the catalogue's seeded rows are gone
    after a transactional test flushes the database)."""
    from onestory.workforce.models import TrainingCourse

    return TrainingCourse.objects.get_or_create(
        name=name,
        defaults={
            "accredits": accredits,
            "renewal_months": renewal_months,
            "makes_champion": makes_champion,
        },
    )[0]


def programme(name="One-to-one perinatal support", *, required=None, **fields):
    """A one-to-one programme from the catalogue (get or create, as for courses)."""
    from onestory.programmes.models import Programme

    return Programme.objects.get_or_create(
        name=name,
        defaults={
            "delivery": "one_to_one",
            "level": "targeted",
            "required_course": required,
            "instrument_codes": ["EPDS"],
        }
        | fields,
    )[0]


def accredit(user, course, completed_on=None):
    """A completed, confirmed training record: the person may deliver what the
    course accredits."""
    from django.utils import timezone

    from onestory.workforce import domain
    from onestory.workforce.models import TrainingRecord

    on = completed_on or timezone.localdate()
    return TrainingRecord.objects.create(
        user=user,
        course=course,
        status="completed",
        completed_on=on,
        expires_on=None
        if course.renewal_months is None
        else domain.expiry(on, course.renewal_months),
        recorded_by=user,
        verified_by=user,
        verified_at=timezone.now(),
    )


def production_environment(**changes) -> dict:
    """The environment a production start needs (every key real, DEBUG off),
    for a subprocess; `changes` adds or overrides variables, None removes one."""
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
        "ONESTORY_SECRET_KEY": "a-real-key-" + "x" * 40,
        "ONESTORY_AUDIT_KEY": "a-real-audit-key",
        "ONESTORY_TOTP_KEY": "a-real-totp-key",
        "ONESTORY_RECOVERY_CODE_KEY": "a-real-recovery-code-key",
        "ONESTORY_PUBLIC_URL": "https://onestory.example.gov.uk",
    }
    environment.update(changes)
    return {name: value for name, value in environment.items() if value is not None}


def licensed_text_payload(code: str = "EPDS", **overrides) -> dict:
    """An administrator's licensed-text file for `code`, with invented wording
    ("Licensed wording 1", "Licensed option 0", ...)."""
    from onestory.measures import instruments

    instrument = instruments.get(code)
    return {
        "format": "onestory-licensed-text",
        "format_version": 1,
        "instrument": code,
        "instrument_version": instrument.version,
        "language": "en-GB",
        "licence": "Test permission reference",
        "items": {
            item.key: {"text": f"Licensed wording {item.key}"}
            | (
                {"options": [f"Licensed option {o.position}" for o in item.options]}
                if item.options
                else {}  # a number reading (ORS's lines) has none
            )
            for item in instrument.items
        },
    } | overrides


def queued_questionnaire_link():
    """The questionnaire link queued last in the outbox (notify.Message)."""
    return Message.objects.filter(kind="questionnaire_link").latest("queued_at")


def questionnaire_link_path() -> str:
    """The path of the questionnaire link queued last, as a parent opens it."""
    return urlsplit(queued_questionnaire_link().personalisation["link"]).path

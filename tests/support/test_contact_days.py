"""A contact's local day (Contact.occurred_on): Europe/London's calendar day of
its time, kept on every save."""

from datetime import UTC, date, datetime

from onestory.support.models import Contact
from tests import factories


def test_a_contact_keeps_its_local_day_in_summer_and_in_winter(city, lead):
    late_in_june = factories.contact(
        city.family,
        by=lead,
        notes="Late.",
        when=datetime(2026, 6, 30, 23, 30, tzinfo=UTC),
    )
    late_in_december = factories.contact(
        city.family,
        by=lead,
        notes="Late.",
        when=datetime(2026, 12, 1, 23, 30, tzinfo=UTC),
    )
    late_in_june.refresh_from_db()
    late_in_december.refresh_from_db()
    assert late_in_june.occurred_on == date(2026, 7, 1)  # 00:30 British Summer Time
    assert late_in_december.occurred_on == date(2026, 12, 1)  # GMT


def test_a_moved_contact_and_a_bulk_created_one_keep_theirs_too(city, lead):
    contact = factories.contact(
        city.family, by=lead, notes="Seen.", when=datetime(2026, 3, 1, 12, tzinfo=UTC)
    )
    contact.occurred_at = datetime(2026, 3, 31, 23, 15, tzinfo=UTC)  # BST from 29th
    contact.save()
    [bulk] = Contact.objects.bulk_create(
        [
            Contact(
                episode=contact.episode,
                occurred_at=datetime(2026, 8, 31, 23, 59, tzinfo=UTC),
                contact_type="phone",
                practitioner=lead,
                attendance="attended",
                purpose="review",
                recorded_by=lead,
            )
        ]
    )
    days = dict(Contact.objects.values_list("pk", "occurred_on"))
    assert days[contact.pk] == date(2026, 4, 1)
    assert days[bulk.pk] == date(2026, 9, 1)

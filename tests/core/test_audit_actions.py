"""Audited actions are checked in audit.record, not by the field's choices, so
adding one touches one file (core/models.py's AuditAction) and no migration."""

import pytest
from django.db import transaction

from onestory.core import audit
from onestory.core.models import AuditAction, AuditEvent


def test_the_action_field_has_no_choices_to_migrate():
    assert not AuditEvent._meta.get_field("action").choices


def test_an_unknown_action_is_refused_and_nothing_is_written(lead):
    before = AuditEvent.objects.count()
    with pytest.raises(ValueError, match="made_up_action"), transaction.atomic():
        audit.record(action="made_up_action", by=lead)
    assert AuditEvent.objects.count() == before


def test_every_action_is_shown_in_its_own_words(lead):
    with transaction.atomic():
        event = audit.record(action=AuditAction.VIEW_FAMILY, by=lead)
    assert event.get_action_display() == "Opened the family record"
    for action in AuditAction:
        assert AuditEvent(action=action).get_action_display() == action.label
    assert AuditEvent(action="retired_action").get_action_display() == "retired_action"

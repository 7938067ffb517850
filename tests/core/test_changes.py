"""Writes say what changed through core/changes.py; insights listens."""

from datetime import timedelta

from django.utils import timezone

from onestory.core import changes
from onestory.insights import stored
from onestory.insights.models import ReportVersion


def test_insights_listens_for_every_write_the_report_counts():
    assert stored.changed in changes._listeners


def test_a_change_in_a_settled_period_moves_the_areas_report_version(city):
    area = city.council.local_authority_id
    before = ReportVersion.objects.filter(local_authority_id=area).first()
    changes.data_changed(
        on=timezone.localdate() - timedelta(days=400), local_authority=area
    )
    after = ReportVersion.objects.get(local_authority_id=area)
    assert after.version == (before.version + 1 if before else 1)


def test_the_area_is_looked_up_only_when_a_settled_period_changes(city):
    asked = []

    def area():
        asked.append(True)
        return city.council.local_authority_id

    changes.data_changed(on=timezone.localdate(), local_authority=area)
    assert asked == []  # today's data is in no settled period
    changes.data_changed(
        on=timezone.localdate() - timedelta(days=400), local_authority=area
    )
    assert asked == [True]

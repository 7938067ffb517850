"""Two people change the lead at the same moment: one wins, one is told why."""

import threading

import pytest
from django.db import connection

from onestory.support import services


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_transfers_one_is_refused(city):
    episode = city.family.episodes.get()
    lead = city.personas["lead_practitioner"]
    targets = [city.personas["same_team_practitioner"], city.personas["team_manager"]]
    start = threading.Barrier(2)
    outcomes = []

    def transfer(to):
        start.wait()
        try:
            services.transfer_lead(
                episode=episode,
                to=to,
                reason="Simultaneous",
                expected_lead_id=lead.pk,
                by=lead,
            )
            outcomes.append("saved")
        except services.LeadChangedMeanwhile:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=transfer, args=(to,)) for to in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["refused", "saved"]
    assert episode.involvements.filter(role="lead", ended_at=None).count() == 1

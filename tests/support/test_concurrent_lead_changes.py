"""Two people change the lead at the same moment: one wins, one is told why."""

import pytest

from onestory.support import services
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_transfers_one_is_refused(
    city, lead, same_team_practitioner, team_manager
):
    episode = city.family.episodes.get()
    targets = [same_team_practitioner, team_manager]
    outcomes = []

    def transfer(to):
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

    factories.at_once(transfer, targets)

    assert sorted(outcomes) == ["refused", "saved"]
    assert episode.involvements.filter(role="lead", ended_at=None).count() == 1

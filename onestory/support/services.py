from django.db import transaction

from onestory.support.models import Episode, Involvement, InvolvementRole


@transaction.atomic
def open_episode(*, family, team, lead, by) -> Episode:
    """Open an episode of support held by `team`, with `lead` as lead practitioner."""
    episode = Episode.objects.create(family=family, team=team, opened_by=by)
    Involvement.objects.create(
        episode=episode, practitioner=lead, role=InvolvementRole.LEAD
    )
    return episode

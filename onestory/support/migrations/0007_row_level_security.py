from django.db import migrations

from onestory.core.tenancy import TENANT, RowLevelSecurity, through

MEETING = "support_triagemeeting"


def _through(table, column, parent):
    return RowLevelSecurity(table, through(table, column, parent))


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0005_row_level_security"),
        ("support", "0006_restricted_note_roles"),
    ]

    operations = [
        _through("support_episode", "family_id", "families_family"),
        _through("support_levelchange", "episode_id", "support_episode"),
        _through("support_involvement", "episode_id", "support_episode"),
        _through("support_contact", "episode_id", "support_episode"),
        _through("support_consultation", "episode_id", "support_episode"),
        _through("support_consultationaction", "consultation_id", "support_consultation"),
        _through("support_plan", "family_id", "families_family"),
        _through("support_plangoal", "plan_id", "support_plan"),
        _through("support_planaction", "plan_id", "support_plan"),
        _through("support_supportrequest", "family_id", "families_family"),
        _through("support_requeststatuschange", "request_id", "support_supportrequest"),
        # A meeting belongs to its host organisation's local authority.
        RowLevelSecurity(
            MEETING,
            "EXISTS (SELECT 1 FROM accounts_organisation host "
            f"WHERE host.id = {MEETING}.organisation_id "
            f"AND host.local_authority_id = {TENANT})",
        ),
        _through(
            "support_triagemeeting_attending_organisations",
            "triagemeeting_id",
            MEETING,
        ),
        _through("support_triagedecision", "family_id", "families_family"),
        _through("support_triageaction", "decision_id", "support_triagedecision"),
    ]

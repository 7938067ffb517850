from django.db import migrations

from onestory.core.tenancy import LINK_HASH, RowLevelSecurity, own_tenant, through

LINK = "measures_selfcompletionlink"


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0005_row_level_security"),
        ("measures", "0002_link_local_authority"),
    ]

    operations = [
        RowLevelSecurity(
            "measures_intervention",
            through("measures_intervention", "person_id", "families_person"),
        ),
        RowLevelSecurity(
            "measures_reviewpoint",
            through("measures_reviewpoint", "intervention_id", "measures_intervention"),
        ),
        RowLevelSecurity(
            "measures_questionnaireresponse",
            through("measures_questionnaireresponse", "person_id", "families_person"),
        ),
        RowLevelSecurity(
            "measures_riskaction",
            through(
                "measures_riskaction", "response_id", "measures_questionnaireresponse"
            ),
        ),
        # A parent opening a link is not signed in: the page first names the
        # link's token (its hash), which shows that one link and so its tenant.
        RowLevelSecurity(
            LINK,
            f"{own_tenant(LINK)} OR {LINK}.token_hash = {LINK_HASH}",
            check=own_tenant(LINK),
        ),
    ]

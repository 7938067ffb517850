from django.db import migrations

from onestory.core.tenancy import RowLevelSecurity, own_tenant, through

FAMILY = "families_family"


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0004_local_authority"),
    ]

    operations = [
        RowLevelSecurity(FAMILY, own_tenant(FAMILY)),
        *[
            RowLevelSecurity(table, through(table, "family_id", FAMILY))
            for table in [
                "families_person",
                "families_relationship",
                "families_storyversion",
                "families_consent",
                "families_breakglass",
            ]
        ],
    ]

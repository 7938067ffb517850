from django.db import migrations

from onestory.core.tenancy import RowLevelSecurity, through


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0006_person_local_authority"),
        ("programmes", "0003_courses"),
    ]

    operations = [
        RowLevelSecurity(
            "programmes_place", through("programmes_place", "person_id", "families_person")
        ),
        RowLevelSecurity(
            "programmes_attendance",
            through("programmes_attendance", "place_id", "programmes_place"),
        ),
    ]

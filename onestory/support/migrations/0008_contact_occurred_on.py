from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations, models
from django.db.models.functions import TruncDate

import onestory.support.models


def local_days(apps, schema_editor):
    """Every contact's local day, in one statement on either database."""
    Contact = apps.get_model("support", "Contact")
    Contact.objects.update(
        occurred_on=TruncDate("occurred_at", tzinfo=ZoneInfo(settings.TIME_ZONE))
    )


class Migration(migrations.Migration):
    dependencies = [("support", "0007_row_level_security")]

    operations = [
        migrations.AddField(
            model_name="contact",
            name="occurred_on",
            field=onestory.support.models.LocalDay(null=True, of="occurred_at"),
        ),
        migrations.RunPython(local_days, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="contact",
            name="occurred_on",
            field=onestory.support.models.LocalDay(of="occurred_at"),
        ),
        migrations.AddIndex(
            model_name="contact",
            index=models.Index(
                fields=["episode", "occurred_on"],
                name="support_con_episode_695036_idx",
            ),
        ),
    ]

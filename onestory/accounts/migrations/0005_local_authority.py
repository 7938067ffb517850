import uuid

import django.db.models.deletion
from django.db import migrations, models


def give_existing_organisations_an_area(apps, schema_editor):
    """A database from before local authorities served one area: name it, and
    the administrator can rename it."""
    Organisation = apps.get_model("accounts", "Organisation")
    LocalAuthority = apps.get_model("accounts", "LocalAuthority")
    if Organisation.objects.exists():
        area = LocalAuthority.objects.create(name="Local authority")
        Organisation.objects.update(local_authority=area)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_session_limits"),
    ]

    operations = [
        migrations.CreateModel(
            name="LocalAuthority",
            fields=[
                (
                    "id",
                    models.UUIDField(
                        default=uuid.uuid4,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("name", models.CharField(max_length=200, unique=True)),
                ("code", models.CharField(blank=True, max_length=9)),
            ],
            options={
                "verbose_name_plural": "local authorities",
                "ordering": ["name"],
            },
        ),
        migrations.AddField(
            model_name="organisation",
            name="local_authority",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="organisations",
                to="accounts.localauthority",
            ),
        ),
        migrations.RunPython(
            give_existing_organisations_an_area, migrations.RunPython.noop
        ),
        migrations.AlterField(
            model_name="organisation",
            name="local_authority",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="organisations",
                to="accounts.localauthority",
            ),
        ),
    ]

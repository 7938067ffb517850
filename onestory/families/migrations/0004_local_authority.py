import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def take_the_adding_organisations_area(apps, schema_editor):
    Family = apps.get_model("families", "Family")
    Organisation = apps.get_model("accounts", "Organisation")
    Family.objects.update(
        local_authority=Subquery(
            Organisation.objects.filter(
                pk=OuterRef("created_by_organisation_id")
            ).values("local_authority_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_local_authority"),
        ("families", "0003_retention"),
    ]

    operations = [
        migrations.AddField(
            model_name="family",
            name="local_authority",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.localauthority",
            ),
        ),
        migrations.RunPython(
            take_the_adding_organisations_area, migrations.RunPython.noop
        ),
        migrations.AlterField(
            model_name="family",
            name="local_authority",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.localauthority",
            ),
        ),
    ]

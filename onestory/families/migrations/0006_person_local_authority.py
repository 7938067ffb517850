import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Q, Subquery


def take_the_familys_area(apps, schema_editor):
    Person = apps.get_model("families", "Person")
    Family = apps.get_model("families", "Family")
    Person.objects.update(
        local_authority=Subquery(
            Family.objects.filter(pk=OuterRef("family_id")).values(
                "local_authority_id"
            )[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_local_authority"),
        ("families", "0005_row_level_security"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="local_authority",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.localauthority",
            ),
        ),
        migrations.RunPython(take_the_familys_area, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="person",
            name="local_authority",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.localauthority",
            ),
        ),
        migrations.RemoveConstraint(model_name="person", name="nhs_number_unique"),
        migrations.AddConstraint(
            model_name="person",
            constraint=models.UniqueConstraint(
                condition=Q(nhs_number__isnull=False),
                fields=("local_authority", "nhs_number"),
                name="nhs_number_unique_in_local_authority",
            ),
        ),
    ]

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def take_the_familys_area(apps, schema_editor):
    SelfCompletionLink = apps.get_model("measures", "SelfCompletionLink")
    Person = apps.get_model("families", "Person")
    SelfCompletionLink.objects.update(
        local_authority=Subquery(
            Person.objects.filter(pk=OuterRef("person_id")).values(
                "family__local_authority_id"
            )[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_local_authority"),
        ("families", "0004_local_authority"),
        ("measures", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="selfcompletionlink",
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
            model_name="selfcompletionlink",
            name="local_authority",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="accounts.localauthority",
            ),
        ),
    ]

import django.db.models.deletion
from django.db import migrations, models


def enrol_in_programmes(apps, schema_editor):
    """Each intervention named freely before the catalogue is enrolled in the
    programme of that name, made (inactive) when there is none."""
    Intervention = apps.get_model("measures", "Intervention")
    Programme = apps.get_model("programmes", "Programme")
    for intervention in Intervention.objects.filter(programme=None):
        intervention.programme = programme_for(Programme, intervention)
        intervention.save(update_fields=["programme"])


def programme_for(Programme, intervention):  # noqa: N803 (a historical model)
    """The catalogue's programme of that name, or a new, inactive one."""
    programme = Programme.objects.filter(name__iexact=intervention.name).first()
    if programme is None:
        programme = Programme.objects.create(
            name=intervention.name[:200],
            delivery="one_to_one",
            level="targeted",
            instrument_codes=intervention.instrument_codes,
            planned_weeks=intervention.planned_weeks,
            active=False,
        )
    return programme


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0004_enrolment"),
        ("programmes", "0002_catalogue"),
    ]

    operations = [
        migrations.RunPython(enrol_in_programmes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="intervention",
            name="programme",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="enrolments",
                to="programmes.programme",
            ),
        ),
    ]

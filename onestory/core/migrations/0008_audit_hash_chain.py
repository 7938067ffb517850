"""Chain the audit trail: every event gets a position and a keyed hash linking it
to the one before. Events already recorded are chained in the order written."""

from django.conf import settings
from django.db import migrations, models

from onestory.core import audit_chain


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    previous = audit_chain.GENESIS
    for sequence, event in enumerate(AuditEvent.objects.order_by("id"), start=1):
        event.sequence, event.previous_hash = sequence, previous
        event.hash = audit_chain.digest(
            settings.AUDIT_KEY,
            {name: getattr(event, name) for name in audit_chain.CONTENT},
        )
        event.save(update_fields=["sequence", "previous_hash", "hash"])
        previous = event.hash


class Migration(migrations.Migration):
    dependencies = [("core", "0007_requests_and_triage")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="sequence",
            field=models.PositiveBigIntegerField(unique=True),
        ),
    ]

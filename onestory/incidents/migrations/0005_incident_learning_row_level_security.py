from django.db import migrations

from onestory.core.tenancy import RowLevelSecurity, own_tenant

TABLE = "incidents_incidentlearning"


class Migration(migrations.Migration):
    dependencies = [("incidents", "0004_incident_learning")]

    operations = [RowLevelSecurity(TABLE, own_tenant(TABLE))]

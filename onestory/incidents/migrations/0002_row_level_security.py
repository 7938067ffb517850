# Every table of an incident names its local authority: each is visible only
# to its own tenant (core/tenancy.py). The postcode directory is open reference
# data, shared by every local authority, and has no policy.
from django.db import migrations

from onestory.core.tenancy import RowLevelSecurity, own_tenant

TABLES = [
    "incidents_incident",
    "incidents_incidentarea",
    "incidents_incidentstaff",
    "incidents_restcentre",
    "incidents_welfarecheck",
    "incidents_checkattempt",
]


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_incidents")]

    operations = [RowLevelSecurity(table, own_tenant(table)) for table in TABLES]

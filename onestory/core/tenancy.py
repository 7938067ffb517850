"""Row-level security on PostgreSQL: the second wall between local authorities.

The first wall is the access scope (`Family.objects.visible_to`), on both
databases. On PostgreSQL every table of family data also has row-level security
switched on and forced, with one policy: a row is visible, and may be written,
only when it belongs to the local authority named by the connection setting
`app.tenant_id`. With no setting, nothing is visible (it fails closed).

The family table carries the tenant; the tables under it inherit it through
their parent row (whose own policy applies inside the check), so the tenant is
written in one place and cannot drift. The runtime database role must not own
the tables, be a superuser or have BYPASSRLS (docs/operations.md); the check in
`core/checks.py` says so at start-up.

SQLite has no row-level security: there the access scope is the only wall.
"""

from django.db import DEFAULT_DB_ALIAS, connection, connections, migrations

from onestory.core import audit_partitions

TENANT = "NULLIF(current_setting('app.tenant_id', true), '')::uuid"
LINK_HASH = "NULLIF(current_setting('app.link_token', true), '')"
POLICY = "tenant_isolation"


def own_tenant(table: str, column: str = "local_authority_id") -> str:
    return f"{table}.{column} = {TENANT}"


def through(table: str, column: str, parent: str) -> str:
    """Visible when the parent row it points to is visible."""
    # Table and column names come from migrations, never from input.
    sql = "EXISTS (SELECT 1 FROM {} parent WHERE parent.id = {}.{})"
    return sql.format(parent, table, column)


class RowLevelSecurity(migrations.RunSQL):
    """ENABLE and FORCE row-level security on a table with one policy, on
    PostgreSQL only (a no-op on SQLite)."""

    def __init__(self, table: str, using: str, check: str = ""):
        self.table = table
        self.using = using
        self.check = check
        super().__init__(
            sql=[
                f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
                f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
                f"CREATE POLICY {POLICY} ON {table} USING ({using}) "
                f"WITH CHECK ({check or using})",
            ],
            reverse_sql=[
                f"DROP POLICY {POLICY} ON {table}",
                f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY",
                f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY",
            ],
        )

    def deconstruct(self):
        kwargs = {"check": self.check} if self.check else {}
        return (self.__class__.__name__, [self.table, self.using], kwargs)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self):
        return f"Row-level security on {self.table}"


def row_level_security(using: str = DEFAULT_DB_ALIAS) -> bool:
    return connections[using].vendor == "postgresql"


def set_tenant(
    local_authority_id,
    *,
    link_token_hash: str = "",
    using: str = DEFAULT_DB_ALIAS,
    local: bool = False,
) -> None:
    """Name the local authority whose rows this connection may touch (None: none).

    Set for the session, not the transaction, because requests run in autocommit;
    every request sets it afresh before its view runs, so a reused connection
    never carries the last request's tenant. `local` sets it for the current
    transaction only (the replica's, core/replica.py). One query; nothing on
    SQLite."""
    if not row_level_security(using):
        return
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT set_config('app.tenant_id', %s, %s), "
            "set_config('app.link_token', %s, %s)",
            [str(local_authority_id or ""), local, link_token_hash, local],
        )


def tenant_of(user):
    """The local authority a signed-in user works in, or None."""
    if not user.is_authenticated:
        return None
    return user.organisation.local_authority_id


class TenantMiddleware:
    """Sets the connection's tenant from the signed-in user, and from nothing
    the request says (no header or parameter can choose it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        set_tenant(tenant_of(request.user))
        return self.get_response(request)


# The audit trail is append-only: the runtime role may add to it and read it.
AUDIT_TABLE = "core_auditevent"


def grant_runtime_role(role: str) -> None:
    """Give the role the application runs as what it needs and no more: read and
    write rows (never the audit trail's, beyond adding), no DDL, no TRUNCATE.
    Run by the role that owns the tables, after each migrate."""
    quoted = connection.ops.quote_name(role)
    with connection.cursor() as cursor:
        for statement in [
            "GRANT USAGE ON SCHEMA public TO {role}",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public "
            "TO {role}",
            "REVOKE UPDATE, DELETE, TRUNCATE ON {audit} FROM {role}",
            "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        ]:
            cursor.execute(statement.format(role=quoted, audit=AUDIT_TABLE))
        # Its monthly partitions (core/audit_partitions.py) only through it.
        for partition in audit_partitions.partitions(connection):
            cursor.execute(f"REVOKE ALL ON {partition} FROM {quoted}")


def runtime_role_problems(role: str = "") -> list[str]:
    """Why row-level security would not hold for this role (the connection's own
    when not named): a superuser, BYPASSRLS, or owning the family tables all
    pass straight through it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolname, rolsuper, rolbypassrls, "
            "pg_get_userbyid(relowner) = rolname "
            "FROM pg_roles, pg_class "
            "WHERE rolname = COALESCE(NULLIF(%s, ''), current_user) "
            "AND pg_class.oid = 'families_family'::regclass",
            [role],
        )
        row = cursor.fetchone()
    if row is None:
        return [f"There is no database role {role!r}."]
    name, superuser, bypass, owner = row
    problems = []
    if superuser:
        problems.append(f"{name} is a superuser.")
    if bypass:
        problems.append(f"{name} has BYPASSRLS.")
    if owner:
        problems.append(f"{name} owns the tables.")
    return problems

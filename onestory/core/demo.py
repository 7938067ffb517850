"""What every part of the demo city uses to write its rows quickly.

The demo inserts about half a million rows for 20,000 families. `bulk_create`
compiles each value of each row through the query compiler, which cost the load
more than building the rows did; `insert` prepares each value as the field
itself does (defaults from the model, `pre_save`, `get_db_prep_save`) and hands
the rows to the database: PostgreSQL's COPY, SQLite's `executemany` (one
prepared statement, many rows). docs/decisions/0018-demo-city-set-based-load.md.
"""

from django.db import connections, router

# Rows per statement for what still goes through bulk_create or bulk_update (the
# backend lowers it to what one statement may carry), and rows per executemany.
BATCH = 2000


def insert(model, objects) -> None:
    """INSERT new model instances as bulk_create would, without the signals it
    does not send either. Foreign keys to objects inserted before are read from
    them. A model whose id the database makes gets no ids back: insert what
    refers to such rows with bulk_create instead (a missing id fails loudly)."""
    objects = list(objects)
    if not objects:
        return
    connection = connections[router.db_for_write(model)]
    fields = [
        field
        for field in model._meta.concrete_fields
        if not field.generated and not (field.primary_key and field.db_returning)
    ]
    relations = [field for field in fields if field.is_relation]
    rows = []
    for obj in objects:
        for field in relations:
            if getattr(obj, field.attname) is None:
                target = field.get_cached_value(obj, None)
                if target is not None:
                    if target.pk is None:
                        raise ValueError(f"{model.__name__}.{field.name}: no id yet")
                    setattr(obj, field.attname, target.pk)
        rows.append(
            tuple(
                field.get_db_prep_save(field.pre_save(obj, True), connection)
                for field in fields
            )
        )
        obj._state.adding, obj._state.db = False, connection.alias
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: PostgreSQL's own bulk load, a stream of rows, no statement each.
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(fields))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 (names from the model, quoted)
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def update(model, objects, field_names) -> None:
    """UPDATE these fields of saved instances: one prepared statement for all
    rows, where bulk_update writes a CASE branch per row into each statement."""
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in field_names]
    pk = model._meta.pk
    rows = [
        (
            *(
                field.get_db_prep_save(getattr(obj, field.attname), connection)
                for field in fields
            ),
            pk.get_db_prep_save(obj.pk, connection),
        )
        for obj in objects
    ]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    changes = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    sql = f"UPDATE {table} SET {changes} WHERE {quote(pk.column)} = %s"  # noqa: S608 (names from the model, quoted)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])

"""Django's database cache with an increment that holds across processes.

Django's own `incr` reads, adds and writes back: two workers counting at the
same moment both write the same number, and one attempt is lost. Here the read
locks the row (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite's IMMEDIATE
transactions hold the write lock from BEGIN), so the second waits for the first
and counts on from it.

Django's `add` and `set` also swallow any database error ("allowed to fail
silently" for a race on insert). Here only that race (an IntegrityError) is
swallowed: a database that is full, read-only or unreachable is raised, so the
request gets the 503 page (core/errors.py), not a rate limit's 500.
"""

import base64
import pickle

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import (
    DatabaseError,
    IntegrityError,
    connections,
    router,
    transaction,
)
from django.utils import timezone


class SharedDatabaseCache(DatabaseCache):
    def _base_set(self, mode, key, value, timeout=DEFAULT_TIMEOUT):
        failed = []

        def note(execute, sql, params, many, context):
            try:
                return execute(sql, params, many, context)
            except DatabaseError as error:
                if not isinstance(error, IntegrityError):
                    failed.append(error)
                raise

        connection = connections[router.db_for_write(self.cache_model_class)]
        with connection.execute_wrapper(note):
            stored = super()._base_set(mode, key, value, timeout)
        if failed:
            raise failed[0]
        return stored

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        quote = connection.ops.quote_name
        table = quote(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        now = connection.ops.adapt_datetimefield_value(
            timezone.now().replace(microsecond=0)
        )
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {quote('value')} FROM {table} "  # noqa: S608 (names quoted)
                f"WHERE {quote('cache_key')} = %s AND {quote('expires')} > %s{lock}",
                [key, now],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key {key!r} not found.")
            stored = connection.ops.process_clob(row[0])
            value = pickle.loads(base64.b64decode(stored.encode())) + delta  # noqa: S301 (our own rows)
            cursor.execute(
                f"UPDATE {table} SET {quote('value')} = %s "  # noqa: S608 (names quoted)
                f"WHERE {quote('cache_key')} = %s",
                [
                    base64.b64encode(
                        pickle.dumps(value, self.pickle_protocol)
                    ).decode(),
                    key,
                ],
            )
        return value

"""Django's database cache with an increment that holds across processes.

Django's own `incr` reads, adds and writes back: two workers counting at the
same moment both write the same number, and one attempt is lost. Here the read
locks the row (`SELECT ... FOR UPDATE` on PostgreSQL; SQLite's IMMEDIATE
transactions hold the write lock from BEGIN), so the second waits for the first
and counts on from it.

Django's own `add` also swallows every database error (to tolerate a racing
insert), so a read-only or full database looked like a cache that counts
nothing. Here `add` lets the database's own error through, so the request gets
the service's 503 page with the database's reason (core/errors.py); a racing
insert is the conflict the INSERT ignores.

Django's own `set` counts the whole table (SELECT COUNT(*)) on every call, to
cull it past MAX_ENTRIES, which this cache never does (config/env.py: a culled
entry would be a rate limit forgotten). Here `set` is one upsert, and expired
rows are deleted by `delete_expired`, which `retention --apply` runs (nightly,
docs/operations.md): an expired row counts nothing, so deleting it forgets nothing.
"""

import base64
import pickle
from datetime import UTC, datetime

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction
from django.utils import timezone


class SharedDatabaseCache(DatabaseCache):
    _table: str  # set by DatabaseCache; the stubs do not declare it

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        alias, table, quote, row = self._row(key, value, timeout, version)
        connection = connections[alias]
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {table} WHERE {quote('cache_key')} = %s "  # noqa: S608 (names quoted)
                f"AND {quote('expires')} < %s",
                [row[0], connection.ops.adapt_datetimefield_value(_now())],
            )
            cursor.execute(
                f"INSERT INTO {table} "  # noqa: S608 (names quoted)
                f"({quote('cache_key')}, {quote('value')}, {quote('expires')}) "
                f"VALUES (%s, %s, %s) ON CONFLICT ({quote('cache_key')}) DO NOTHING",
                row,
            )
            return cursor.rowcount == 1

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        alias, table, quote, row = self._row(key, value, timeout, version)
        with connections[alias].cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} "  # noqa: S608 (names quoted)
                f"({quote('cache_key')}, {quote('value')}, {quote('expires')}) "
                f"VALUES (%s, %s, %s) ON CONFLICT ({quote('cache_key')}) DO UPDATE "
                f"SET {quote('value')} = excluded.{quote('value')}, "
                f"{quote('expires')} = excluded.{quote('expires')}",
                row,
            )

    def delete_expired(self) -> int:
        """Delete the entries whose time is up (through the index on `expires`);
        returns how many."""
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {quote(self._table)} "  # noqa: S608 (names quoted)
                f"WHERE {quote('expires')} < %s",
                [connection.ops.adapt_datetimefield_value(_now())],
            )
            return cursor.rowcount

    def _row(self, key, value, timeout, version):
        """Where the entry goes, and its row: key, pickled value, expiry."""
        key = self.make_and_validate_key(key, version=version)
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        seconds = self.get_backend_timeout(timeout)
        expires = (
            datetime.max.replace(tzinfo=UTC)
            if seconds is None
            else datetime.fromtimestamp(seconds, tz=UTC)
        )
        stored = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode()
        adapt = connection.ops.adapt_datetimefield_value
        quote = connection.ops.quote_name
        row = [key, stored, adapt(expires.replace(microsecond=0))]
        return alias, quote(self._table), quote, row

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        quote = connection.ops.quote_name
        table = quote(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        now = connection.ops.adapt_datetimefield_value(_now())
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


def _now():
    return timezone.now().replace(microsecond=0)

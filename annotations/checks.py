"""System checks run against the database (``manage.py check --database default``, and
``migrate`` before it migrates): what would otherwise surface as a 500 on the first sign-in."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.checks import Error, Tags, register
from django.db import connections, router
from django.db.migrations.recorder import MigrationRecorder

# The migration that creates the cache table; before it has run, a missing table is expected.
CACHE_TABLE_MIGRATION = ("annotations", "0003_cache_table")


@register(Tags.database)
def check_cache_tables(app_configs, databases=None, **kwargs) -> list[Error]:
    """The login throttle keeps its counters in the database cache: without the table every
    sign-in answers 500, so say which table is missing and how to make it."""
    errors: list[Error] = []
    for alias in databases or []:
        connection = connections[alias]
        recorder = MigrationRecorder(connection)
        if not recorder.has_table() or CACHE_TABLE_MIGRATION not in recorder.applied_migrations():
            continue  # not migrated yet: `migrate` will create it
        tables = set(connection.introspection.table_names())
        for name in settings.CACHES:
            cache = caches[name]
            if not isinstance(cache, DatabaseCache):
                continue
            if not router.allow_migrate_model(alias, cache.cache_model_class):
                continue
            if cache._table not in tables:
                errors.append(
                    Error(
                        f"The cache table {cache._table!r} (CACHES[{name!r}]) is missing from database "
                        f"{alias!r}: every sign-in would fail with a server error.",
                        hint="Run `python manage.py createcachetable`.",
                        id="annotations.E001",
                    )
                )
    return errors

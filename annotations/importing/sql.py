"""Batched INSERTs for the import engine.

The import writes hundreds of thousands of spans and their history rows. Django's
``bulk_create`` builds a model instance and prepares every value through its field for
each row, which costs more than the database does; here rows are plain tuples in the
order of a column list taken from the model's ``_meta``, so a field added to a model
without being added to the import fails loudly (``check_columns``) instead of being left
out silently.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Sequence
from contextlib import ExitStack, nullcontext
from itertools import chain
from typing import Any

from django.db import connection, models
from django.db.backends.utils import CursorDebugWrapper


def check_columns(model: type[models.Model], attnames: Sequence[str]) -> list[str]:
    """The database columns of ``attnames``, which must be every concrete field but the key."""
    fields = {f.attname: f for f in model._meta.concrete_fields if not f.primary_key or f.attname in attnames}
    missing = set(fields) - set(attnames)
    unknown = set(attnames) - set(fields)
    if missing or unknown:
        raise RuntimeError(f"{model.__name__}: import columns out of date (missing {missing}, unknown {unknown}).")
    return [fields[name].column for name in attnames]


def compress_fast() -> None:
    """PostgreSQL: compress the long values written in the current transaction with lz4
    where the server has it (PostgreSQL 14+ built with lz4) instead of the default pglz,
    several times faster to compress an article's text. Stored values keep whichever
    compression they were written with; reads handle both."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        # SET LOCAL, in one query, only where the setting accepts lz4.
        cursor.execute(
            "SELECT set_config(name, 'lz4', true) FROM pg_settings "
            "WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
        )


def _max_params() -> int:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return 65_535  # PostgreSQL's wire protocol limit


def _insert_sql(model: type[models.Model], columns: Sequence[str], rows: int, returning: bool) -> str:
    """A multi-row INSERT in SQLite's own placeholders (``?``), for ``_execute_sqlite``."""
    quote = connection.ops.quote_name
    one = "(" + ", ".join(["?"] * len(columns)) + ")"
    # Table and column names come from the models' _meta, never from input.
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) VALUES "  # noqa: S608
    sql += ", ".join([one] * rows)
    if returning:
        sql += f" RETURNING {quote(model._meta.pk.column)}"
    return sql


def insert_returning_ids(model: type[models.Model], columns: Sequence[str], rows: list[tuple]) -> list[int]:
    """Insert ``rows`` with multi-row ``VALUES ... RETURNING id``; ids in row order.

    Both SQLite (3.35+) and PostgreSQL return the rows of a multi-row VALUES in order;
    Django's own ``bulk_create`` relies on the same.
    """
    if connection.vendor == "postgresql":
        return _copy_returning_ids(model, columns, rows)
    ids: list[int] = []
    per_statement = max(1, min(1000, _max_params() // len(columns)))
    with connection.cursor() as cursor:
        full_sql = None
        for offset in range(0, len(rows), per_statement):
            chunk = rows[offset : offset + per_statement]
            if len(chunk) == per_statement:
                full_sql = full_sql or _insert_sql(model, columns, per_statement, True)
                sql = full_sql
            else:
                sql = _insert_sql(model, columns, len(chunk), True)
            _execute_sqlite(cursor, sql, list(chain.from_iterable(chunk)))
            ids.extend(row[0] for row in cursor.fetchall())
    return ids


def _execute_sqlite(cursor, sql: str, params: list) -> None:
    """Run ``sql`` (``?`` placeholders) on the driver's cursor, errors as Django's.

    Django's SQLite cursor rewrites every ``%s`` of a statement into ``?`` with a regular
    expression, each time: 4 ms for a statement of 1,000 rows, a tenth of the import's
    time. The statements here are written with ``?`` and go straight to the driver;
    ``wrap_database_errors`` still turns its errors into ``django.db`` ones, and a debug
    cursor (tests, DEBUG) still logs the query.
    """
    logged = cursor.debug_sql(sql, params) if isinstance(cursor, CursorDebugWrapper) else nullcontext()
    with logged, connection.wrap_database_errors:
        sqlite3.Cursor.execute(cursor.cursor, sql, params)


def _copy_returning_ids(model: type[models.Model], columns: Sequence[str], rows: list[tuple]) -> list[int]:
    """PostgreSQL: take the ids from the table's sequence in one query, then COPY the rows
    with them (several times faster than INSERT for large batches)."""
    if not rows:
        return []
    quote = connection.ops.quote_name
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        # The query for ids goes through Django's cursor, so statements still in flight
        # (InFlight) are waited for before the COPY, which pipeline mode does not allow.
        # The sequence's name looked up once (MATERIALIZED): in the select list,
        # pg_get_serial_sequence (a stable function) ran for every id, 5 times the cost of
        # nextval itself.
        cursor.execute(
            "WITH s AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, %s)::regclass AS seq) "
            "SELECT nextval(s.seq) FROM s, generate_series(1, %s)",
            [table, pk, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        names = ", ".join(map(quote, [pk, *columns]))
        # COPY goes to the driver's cursor: its errors are turned into django.db ones here.
        with connection.wrap_database_errors, cursor.cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
            for pk_value, row in zip(ids, rows, strict=True):
                copy.write_row((pk_value, *row))
    return ids


class InFlight:
    """Statements run while the import reads and checks its next records.

    A context manager around the import's writes (inside its transaction). ``send`` starts
    a statement and returns: on PostgreSQL through psycopg's pipeline mode (the server runs
    it while the client works on), on SQLite in a thread (the driver lets go of the
    interpreter lock while SQLite works). ``finish`` waits for what was sent and raises its
    error; it runs before any other query of Django's on the connection (an execute
    wrapper), and the writer calls it before its own batched INSERTs and COPYs, which go to
    the driver directly. The block's end waits too, so the transaction never ends with a
    statement still running. One connection, used by one statement at a time throughout.
    """

    def __init__(self) -> None:
        self._pipeline: Any = None
        self._cursor: Any = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._stack = ExitStack()

    def __enter__(self) -> InFlight:
        self._stack.enter_context(connection.execute_wrapper(self._before_query))
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            self.finish(*exc_info)
        finally:
            self._stack.close()

    def send(self, sql: str, params: list) -> None:
        """Start ``sql`` (Django's ``%s`` placeholders)."""
        if connection.vendor == "postgresql":
            with connection.wrap_database_errors:
                if self._pipeline is None:
                    raw = connection.connection  # the psycopg connection, open: the import has written
                    self._cursor = raw.cursor()
                    self._pipeline = raw.pipeline()
                    self._pipeline.__enter__()
                self._cursor.execute(sql, params)
        elif connection.vendor == "sqlite":
            self.finish()  # one statement at a time on the connection
            # The statement is built from the models' _meta and holds no other "%s".
            cursor, query = connection.connection.cursor(), sql.replace("%s", "?")
            self._thread = threading.Thread(target=self._run, args=(cursor, query, params), name="import-in-flight")
            self._thread.start()
        else:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
            return
        if connection.queries_logged:  # logged as Django's debug cursor logs a query (tests, DEBUG)
            connection.queries_log.append({"sql": sql, "time": "0.000"})

    def _run(self, cursor, query: str, params: list) -> None:
        try:
            sqlite3.Cursor.execute(cursor, query, params)
        except BaseException as exc:  # raised by finish(), in the import's thread
            self._error = exc
        finally:
            cursor.close()

    def finish(self, *exc_info) -> None:
        """Wait for what was sent; its error is raised unless ``exc_info`` holds another."""
        pipeline, self._pipeline = self._pipeline, None
        thread, self._thread = self._thread, None
        if pipeline is not None:
            try:
                with connection.wrap_database_errors:
                    pipeline.__exit__(*(exc_info or (None, None, None)))
            finally:
                self._cursor.close()
        if thread is not None:
            thread.join()
            error, self._error = self._error, None
            if error is not None and not (exc_info and exc_info[0] is not None):
                with connection.wrap_database_errors:
                    raise error

    def _before_query(self, execute, sql, params, many, context):
        self.finish()
        return execute(sql, params, many, context)


_HISTORY_ATTRS = ("history_date", "history_change_reason", "history_type", "history_user_id")


def copy_history(
    model: type[models.Model], ids: list[int], *, history_date, user_id: int | None, in_flight: InFlight | None = None
) -> None:
    """simple_history's "created" row for each of ``ids``, copied inside the database.

    The same row ``bulk_create_with_history`` writes (every field of the record, then
    ``history_date``, no change reason, type ``+`` and the user), without sending the
    values back and forth. ``history_date`` is already adapted for the database.
    """
    if not ids:
        return
    history = model.history.model
    fields = list(model._meta.concrete_fields)
    source_columns = [f.column for f in fields]
    # Every field of the record, under the same names in the history table.
    check_columns(history, [f.attname for f in fields] + list(_HISTORY_ATTRS))
    quote = connection.ops.quote_name
    target = [*source_columns, *(history._meta.get_field(name).column for name in _HISTORY_ATTRS)]
    pk = quote(model._meta.pk.column)
    parameter: list[int] | str
    if connection.vendor == "postgresql":
        which, parameter = f"{pk} = ANY(%s)", list(ids)
    else:
        which, parameter = f"{pk} IN (SELECT value FROM json_each(%s))", json.dumps(ids)  # noqa: S608
    # Table and column names come from the models' _meta, never from input.
    insert = f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(map(quote, target))})"
    select = f"SELECT {', '.join(map(quote, source_columns))}, %s, NULL, '+', %s FROM {quote(model._meta.db_table)}"  # noqa: S608
    sql = f"{insert} {select} WHERE {which}"
    if in_flight is not None:
        in_flight.send(sql, [history_date, user_id, parameter])
        return
    with connection.cursor() as cursor:
        cursor.execute(sql, [history_date, user_id, parameter])

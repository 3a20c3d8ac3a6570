"""Run by tests/reliability/test_sqlite_settings.py in a fresh process: start Django with the
environment the test gives (DATABASE_URL=sqlite:///… or SQLITE_PATH) and print, as JSON, the
SQLite pragmas the connection runs with and what concurrent writers get."""

import json
import sqlite3
import threading

import django

django.setup()

from django.db import OperationalError, connection, connections, transaction  # noqa: E402

WRITERS = 16
WRITES_EACH = 25


def pragmas() -> dict:
    with connection.cursor() as cursor:
        values = {}
        for name in ("journal_mode", "busy_timeout", "synchronous"):
            cursor.execute(f"PRAGMA {name}")
            values[name] = cursor.fetchone()[0]
    return values


def begin_waits_for_the_write_lock() -> bool:
    """Inside an atomic block that has run no statement yet, may another writer start?"""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS probe_counter (n integer)")
        cursor.execute("DELETE FROM probe_counter")
        cursor.execute("INSERT INTO probe_counter VALUES (0)")
    other = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
    try:
        with transaction.atomic():
            try:
                other.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return True  # the atomic block already holds the write lock: writers queue at BEGIN
            other.execute("ROLLBACK")
            return False
    finally:
        other.close()


def concurrent_increments() -> dict:
    start = threading.Barrier(WRITERS)
    failures: list[str] = []

    def writer() -> None:
        start.wait()
        try:
            for _ in range(WRITES_EACH):
                try:
                    with transaction.atomic(), connection.cursor() as cursor:
                        cursor.execute("SELECT n FROM probe_counter")
                        (n,) = cursor.fetchone()
                        cursor.execute("UPDATE probe_counter SET n = %s", [n + 1])
                except OperationalError as exc:
                    failures.append(str(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM probe_counter")
        (count,) = cursor.fetchone()
    return {"attempted": WRITERS * WRITES_EACH, "counted": count, "failures": len(failures)}


print(
    json.dumps(
        {
            "engine": connection.vendor,
            "pragmas": pragmas(),
            "begin_waits_for_the_write_lock": begin_waits_for_the_write_lock(),
            "writes": concurrent_increments(),
        }
    )
)

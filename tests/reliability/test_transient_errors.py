"""A database too busy to write answers 503 + Retry-After, never a 500."""

import json
import sqlite3

import pytest
from django.db import OperationalError
from django.db.utils import ConnectionHandler
from django.test import RequestFactory

from annotations.middleware import TransientErrorMiddleware


@pytest.fixture
def locked_sqlite_error(tmp_path) -> OperationalError:
    """A genuine "database is locked" raised through Django's SQLite backend."""
    path = tmp_path / "busy.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")  # hold the write lock
    handler = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": {"timeout": 0.01}}}
    )
    connection = handler["default"]
    try:
        with pytest.raises(OperationalError) as excinfo, connection.cursor() as cursor:
            cursor.execute("INSERT INTO t VALUES (1)")
    finally:
        connection.close()
        holder.execute("ROLLBACK")
        holder.close()
    assert "database is locked" in str(excinfo.value)
    return excinfo.value


def _middleware() -> TransientErrorMiddleware:
    return TransientErrorMiddleware(lambda request: None)


def test_a_locked_database_on_the_api_is_a_json_503_with_retry_after(locked_sqlite_error):
    request = RequestFactory().post("/api/annotations/", {}, content_type="application/json")
    response = _middleware().process_exception(request, locked_sqlite_error)
    assert response.status_code == 503
    assert int(response["Retry-After"]) >= 1
    assert "retry" in json.loads(response.content)["detail"].lower()


def test_a_locked_database_on_a_page_is_a_plain_503(locked_sqlite_error):
    response = _middleware().process_exception(RequestFactory().post("/articles/1/"), locked_sqlite_error)
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")
    assert "not saved" in response.content.decode()


@pytest.mark.parametrize(
    "message", ["deadlock detected", "could not serialize access due to concurrent update", "database is locked"]
)
def test_retryable_database_errors_are_503(message):
    response = _middleware().process_exception(RequestFactory().get("/api/"), OperationalError(message))
    assert response.status_code == 503


@pytest.mark.parametrize("error", [OperationalError("no such table: annotations_article"), ValueError("bug")])
def test_other_errors_stay_errors(error):
    # Real bugs must still reach the 500 handler and the error log.
    assert _middleware().process_exception(RequestFactory().get("/api/"), error) is None

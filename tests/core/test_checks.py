"""A database that lost its cache table fails `manage.py check --database default` (which
bin/serve and bin/serve-production run before serving) with a message saying what to run,
instead of every sign-in answering 500."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection

pytestmark = pytest.mark.django_db


def test_the_database_check_passes_when_the_cache_table_is_there():
    call_command("check", databases=["default"])


def test_the_database_check_names_a_missing_cache_table_and_the_command_that_makes_it():
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE django_cache")  # rolled back with the test's transaction
    with pytest.raises(SystemCheckError) as excinfo:
        call_command("check", databases=["default"])
    message = str(excinfo.value)
    assert "annotations.E001" in message
    assert "'django_cache'" in message
    assert "createcachetable" in message

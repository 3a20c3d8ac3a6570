"""The standard Django set-up works: `manage.py migrate` alone, on an empty database, gives a
sign-in that answers (the login throttle's cache table comes with the migrations)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]

SIGN_IN = """
from django.contrib.auth.models import User
from django.test import Client
User.objects.create_user("fresh", password="fresh-password-123")
client = Client()
page = client.get("/accounts/login/")
answer = client.post("/accounts/login/", {"username": "fresh", "password": "fresh-password-123"})
wrong = client.post("/accounts/login/", {"username": "fresh", "password": "wrong"})
print(page.status_code, answer.status_code, answer["Location"], wrong.status_code)
"""


def _run(env: dict, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@pytest.fixture
def empty_database(tmp_path):
    """Environment for a process on a new, empty database of the suite's kind."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH", "DJANGO_SETTINGS_MODULE")}
    env.update(FACTCHECK_VAR_DIR=str(tmp_path / "var"), ALLOWED_HOSTS="testserver")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        env["SQLITE_PATH"] = str(tmp_path / "fresh.sqlite3")
        yield env
        return
    name = f"fresh_{uuid.uuid4().hex[:12]}"
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = url.rsplit("/", 1)[0] + f"/{name}"
    try:
        yield env
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_migrate_alone_gives_a_working_sign_in(empty_database):
    _run(empty_database, "migrate", "--noinput", "--verbosity", "0")
    page, signed_in, location, wrong = _run(empty_database, "shell", "--no-imports", "-c", SIGN_IN).split()
    assert (page, signed_in, location, wrong) == ("200", "302", "/", "200")

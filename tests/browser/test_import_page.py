"""The upload page in a real browser, with a real worker process beside the live server."""

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from playwright.sync_api import expect

from annotations.models import Annotation, Article, Membership
from tests.importing.test_formats import DATA
from tests.importing.test_jobs import ROOT

pytestmark = pytest.mark.browser


@pytest.fixture
def mona(seed_project) -> User:
    user = User.objects.create_user("mona", "mona@example.org", "mona-password")
    Membership.objects.create(project=seed_project, user=user, role="manager")
    return user


@pytest.fixture
def worker(settings, live_server):
    """``manage.py worker`` on the live server's database, on a queue of its own."""
    assert connection.vendor == "postgresql" or not connection.is_in_memory_db(), "needs SQLITE_TEST_PATH"
    queue = f"test-imports-{uuid.uuid4().hex[:12]}"
    settings.IMPORT_QUEUE = queue
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": [queue]}}
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env.update({"TASKS_BACKEND": "database", "IMPORT_QUEUE": queue})
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        env["SQLITE_PATH"] = db["NAME"]
    process = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--verbosity", "0"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )
    yield process
    process.kill()
    process.wait()


def _import(page, path, *, annotator="alice", format_="auto"):
    page.get_by_test_id("import-file").set_input_files(str(path))
    page.get_by_test_id("import-format").select_option(format_)
    page.get_by_test_id("import-annotator").select_option(annotator)
    page.get_by_test_id("import-submit").click()


def test_a_manager_uploads_doccano_and_label_studio_files_and_watches_them_finish(
    open_page, worker, mona, alice, tmp_path
):
    page = open_page(mona)
    page.goto("/projects/seed/import/")
    _import(page, DATA / "doccano.jsonl")
    status = page.get_by_test_id("import-status")
    expect(status).to_have_text("done", timeout=30_000)
    progress = page.get_by_test_id("import-progress")
    assert progress.evaluate("p => [p.value, p.max]") == [3, 3]
    expect(page.get_by_text("3 of 3 records")).to_be_visible()
    expect(page.get_by_text("Articles: 3 created, 0 updated, 0 unchanged; spans: 6 created.")).to_be_visible()
    expect(page.get_by_test_id("import-articles-link")).to_be_visible()

    _import(page, DATA / "label-studio.json")
    expect(page.get_by_text("2 of 2 records")).to_be_visible(timeout=30_000)
    expect(status).to_have_text("done")
    assert progress.evaluate("p => [p.value, p.max]") == [2, 2]
    assert Article.objects.count() == 5
    assert Annotation.objects.filter(annotator=alice).count() == 10
    page.screenshot(path=str(tmp_path / "import-page.png"), full_page=True)


def test_a_broken_line_7_fails_the_job_shows_line_7_and_imports_nothing(open_page, worker, mona, alice, tmp_path):
    lines = [json.dumps({"text": f"Selon Reuters, {n} euros.", "label": [[0, 13, "claim"]]}) for n in range(10)]
    lines[6] = '{"text": "Sept euros", "label": [[0, 99, "claim"]]}'
    path = tmp_path / "broken.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page = open_page(mona)
    page.goto("/projects/seed/import/")
    _import(page, path)
    expect(page.get_by_test_id("import-status")).to_have_text("failed", timeout=30_000)
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("line 7: span [0, 99]: end 99 is past the end of the text (10 code points).")
    assert not Article.objects.exists()


def test_the_page_is_for_managers_only(mona, alice, seed_project):
    outsider = User.objects.create_user("olga", "olga@example.org", "olga-password")
    client = Client()
    client.force_login(outsider)
    assert client.get("/projects/seed/import/").status_code == 404
    client.force_login(alice)
    assert client.get("/projects/seed/import/").status_code == 403
    client.force_login(mona)
    response = client.get("/projects/seed/import/")
    assert response.status_code == 200
    assert b'data-max-bytes="268435456"' in response.content

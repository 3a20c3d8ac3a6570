"""Import jobs on both queue backends: the worker runs them, a bad file fails whole, a killed
worker leaves nothing behind and its job failed, never stuck "running"."""

import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection

from annotations.importing.jobs import WORKER_GONE, import_job_create, import_job_state
from annotations.models import Annotation, Article, ImportJob

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/0"
BACKENDS = {"database": "django_tasks_db.DatabaseBackend", "rq": "django_tasks_rq.RQBackend"}


@pytest.fixture(params=list(BACKENDS))
def queue(request, settings):
    """Both backends, each test on a queue of its own (Redis is shared with other runs)."""
    name = f"test-imports-{uuid.uuid4().hex[:12]}"
    settings.TASKS_BACKEND = request.param
    settings.IMPORT_QUEUE = name
    settings.TASKS = {"default": {"BACKEND": BACKENDS[request.param], "QUEUES": [name]}}
    settings.RQ_QUEUES = {name: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 600}}
    yield request.param
    if request.param == "rq":
        import django_rq

        django_rq.get_queue(name).delete(delete_jobs=True)


def _upload(name: str, records: list) -> SimpleUploadedFile:
    content = "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records) + "\n"
    return SimpleUploadedFile(name, content.encode("utf-8"))


def _records(count: int) -> list[dict]:
    return [
        {"external_id": f"n-{n}", "text": f"Selon Reuters, le café coûte {n} euros 🎉.", "label": [[0, 13, "claim"]]}
        for n in range(count)
    ]


@pytest.mark.django_db(transaction=True)
def test_a_queued_job_is_run_by_the_worker_and_reports_its_counts(queue, seed_project, alice, sam):
    job = import_job_create(
        project=seed_project, user=sam, upload=_upload("doccano.jsonl", _records(3)), format="jsonl", annotator=alice
    )
    assert job.status == "queued"
    call_command("worker", batch=True, verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.total, job.processed, job.created, job.updated, job.unchanged, job.spans) == (
        "done",
        3,
        3,
        3,
        0,
        0,
        3,
    )
    assert job.errors == [] and job.finished_at is not None
    assert Annotation.objects.filter(annotator=alice).count() == 3
    assert Annotation.history.model.objects.filter(history_user=sam).count() == 3


@pytest.mark.django_db(transaction=True)
def test_a_broken_line_7_fails_the_job_and_imports_nothing(queue, seed_project, alice, sam):
    records = _records(9)
    records[6] = '{"text": "Sept", '
    job = import_job_create(
        project=seed_project, user=sam, upload=_upload("broken.jsonl", records), format="jsonl", annotator=alice
    )
    call_command("worker", batch=True, verbosity=0)
    job.refresh_from_db()
    assert job.status == "failed"
    message = "invalid JSON: Expecting property name enclosed in double quotes (column 18)."
    assert job.errors == [{"line": 7, "message": message}]
    assert not Article.objects.exists()


def _environment(queue: str, backend: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SQLITE_PATH")}
    env.update({"TASKS_BACKEND": backend, "IMPORT_QUEUE": queue, "DJANGO_SETTINGS_MODULE": "factcheck.settings"})
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    else:
        env["SQLITE_PATH"] = db["NAME"]  # the test database is a file (SQLITE_TEST_PATH)
    return env


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_job_leaves_nothing_and_the_job_failed(queue, settings, seed_project, alice, sam):
    assert connection.vendor == "postgresql" or not connection.is_in_memory_db(), "needs SQLITE_TEST_PATH"
    job = import_job_create(
        project=seed_project, user=sam, upload=_upload("big.jsonl", _records(20_000)), format="jsonl", annotator=alice
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker"],
        cwd=ROOT,
        env=_environment(settings.IMPORT_QUEUE, queue),
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        for line in worker.stderr:  # the worker logs each written batch
            if f"import job {job.pk}: " in line and " of " in line and f"import job {job.pk}: 0 of" not in line:
                break
        else:
            pytest.fail("the worker exited before writing a batch")
        assert import_job_state(ImportJob.objects.get(pk=job.pk)).status == "running"
        os.kill(worker.pid, signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait()
        worker.stderr.close()
    job = import_job_state(ImportJob.objects.get(pk=job.pk))
    assert job.status == "failed"
    assert job.errors == [{"line": None, "message": WORKER_GONE}]
    assert not Article.objects.exists()
    assert not Annotation.all_objects.exists()

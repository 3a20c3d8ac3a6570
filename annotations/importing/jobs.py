"""Imports as background jobs: create (upload), run (worker), read progress, recover.

The import itself is one transaction per file, so a job's live progress cannot go into
the database while it runs (other connections would not see it before the commit, and
SQLite allows one writer). It goes into the ``jobs`` cache (files on one machine, Redis
for several) with a heartbeat; the job row holds the status and the final counts.
A worker killed mid-job loses its transaction, so nothing of the file is kept, and
``recover_stale_jobs`` fails the job once its worker is known to be gone (its process on
this host has exited) or its heartbeat is older than ``IMPORT_JOB_STALE_SECONDS``.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from annotations.importing.engine import ImportFileError, import_stream
from annotations.models import ImportJob, Project

logger = logging.getLogger(__name__)

WORKER_GONE = "The worker stopped before the import finished, so nothing from this file was imported. Upload it again."


def _cache():
    return caches["jobs"]


def _progress_key(job_id: int) -> str:
    return f"import-job:{job_id}:progress"


def _beat_key(job_id: int) -> str:
    return f"import-job:{job_id}:beat"


def import_job_create(*, project: Project, user, upload: UploadedFile, format: str, annotator=None) -> ImportJob:
    """Store the upload and queue a job for it (the task is sent once the row is committed)."""
    from annotations.importing.tasks import run_import_job

    with transaction.atomic():
        job = ImportJob.objects.create(
            project=project,
            created_by=user,
            annotator=annotator,
            file_name=os.path.basename(upload.name)[:255],
            format=format,
        )
        # The stored name starts with the job id: uploads with the same name never collide.
        job.stored_file = storages["imports"].save(f"{job.pk}-{job.file_name}", upload)
        job.save(update_fields=["stored_file"])
        _cache().delete_many([_progress_key(job.pk), _beat_key(job.pk)])
        transaction.on_commit(lambda: run_import_job.using(queue_name=settings.IMPORT_QUEUE).enqueue(job.pk))
    return job


def _worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class _Heartbeat(threading.Thread):
    """Tells readers the worker is alive while the import runs (and while it commits)."""

    def __init__(self, job_id: int):
        super().__init__(daemon=True)
        self.job_id = job_id
        self.stopped = threading.Event()

    def run(self) -> None:
        cache = _cache()
        while not self.stopped.is_set():
            cache.set(_beat_key(self.job_id), time.time(), timeout=None)
            self.stopped.wait(settings.IMPORT_JOB_HEARTBEAT_SECONDS)

    def stop(self) -> None:
        self.stopped.set()
        self.join()


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run a queued job (the task body); ``None`` if another worker took it or it is gone."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now(), worker=_worker_id()
    )
    if not claimed:
        return None
    job = ImportJob.objects.select_related("project", "annotator", "created_by").get(pk=job_id)
    cache = _cache()
    cache.set(_beat_key(job.pk), time.time(), timeout=None)
    heartbeat = _Heartbeat(job.pk)
    heartbeat.start()

    def progress(processed: int, total: int) -> None:
        cache.set(_progress_key(job.pk), (processed, total), timeout=None)
        logger.info("import job %s: %s of %s records", job.pk, processed, total)

    storage = storages["imports"]
    try:
        with storage.open(job.stored_file, "rb") as stream:
            summary = import_stream(
                stream,
                project=job.project,
                name=job.file_name,
                format=job.format,
                annotator=job.annotator,
                user=job.created_by,
                progress=progress,
            )
    except ImportFileError as exc:
        job.status, job.errors = ImportJob.Status.FAILED, [{"line": exc.line, "message": exc.message}]
    except Exception:
        logger.exception("import job %s failed", job.pk)
        job.status = ImportJob.Status.FAILED
        job.errors = [{"line": None, "message": "The import failed unexpectedly; nothing was imported."}]
    else:
        job.status = ImportJob.Status.DONE
        job.created, job.updated, job.unchanged = summary.created, summary.updated, summary.unchanged
        job.spans = summary.spans_created
    finally:
        heartbeat.stop()
    processed, total = cache.get(_progress_key(job.pk)) or (0, 0)
    job.processed, job.total = (processed, total) if job.status == ImportJob.Status.DONE else (0, total)
    job.finished_at = timezone.now()
    job.save()
    cache.delete_many([_progress_key(job.pk), _beat_key(job.pk)])
    storage.delete(job.stored_file)
    logger.info("import job %s: %s", job.pk, job.status)
    return job


def _worker_gone(job: ImportJob) -> bool:
    host, _, pid = job.worker.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:
            pass
    beat = _cache().get(_beat_key(job.pk))
    last = beat if beat is not None else (job.started_at.timestamp() if job.started_at else 0)
    return time.time() - last > settings.IMPORT_JOB_STALE_SECONDS


def recover_stale_jobs(jobs=None) -> int:
    """Fail the running jobs whose worker is gone; how many. The file's transaction died
    with the worker, so nothing of it was kept."""
    running = ImportJob.objects.filter(status=ImportJob.Status.RUNNING) if jobs is None else jobs
    failed = 0
    for job in running:
        if job.status == ImportJob.Status.RUNNING and _worker_gone(job):
            updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.RUNNING, worker=job.worker).update(
                status=ImportJob.Status.FAILED,
                processed=0,
                errors=[{"line": None, "message": WORKER_GONE}],
                finished_at=timezone.now(),
            )
            if updated:
                failed += 1
                _cache().delete_many([_progress_key(job.pk), _beat_key(job.pk)])
                if job.stored_file:
                    storages["imports"].delete(job.stored_file)
                logger.warning("import job %s: worker %s is gone; failed", job.pk, job.worker)
    return failed


def import_job_state(job: ImportJob) -> ImportJob:
    """The job as readers see it: a running job carries its live progress (or is failed if
    its worker is gone)."""
    if job.status == ImportJob.Status.RUNNING:
        if recover_stale_jobs([job]):
            job.refresh_from_db()
        else:
            job.processed, job.total = _cache().get(_progress_key(job.pk)) or (0, job.total)
    return job

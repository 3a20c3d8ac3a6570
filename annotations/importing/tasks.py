"""The background task behind import jobs (django.tasks API, through the django-tasks backport)."""

from django.conf import settings
from django_tasks import task

from annotations.importing.jobs import import_job_run


@task(queue_name=settings.IMPORT_QUEUE)
def run_import_job(job_id: int) -> str | None:
    job = import_job_run(job_id=job_id)
    return job.status if job else None

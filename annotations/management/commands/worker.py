"""``manage.py worker``: run import jobs on whichever task backend is configured."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from annotations.importing.jobs import recover_stale_jobs


class Command(BaseCommand):
    help = (
        "Run a worker for background jobs (imports): the database queue by default, RQ/Redis with "
        "TASKS_BACKEND=rq. Jobs left running by a worker that died are failed first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="Run the jobs waiting now, then exit.")

    def handle(self, *args, batch: bool, verbosity: int, **options):
        if verbosity > 0:
            # One line per written batch of each job: what an operator watches.
            handler = logging.StreamHandler(self.stderr._out)
            handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
            logger = logging.getLogger("annotations.importing")
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)
        recovered = recover_stale_jobs()
        if recovered:
            self.stderr.write(f"Failed {recovered} import job(s) whose worker had stopped.")
        queue = settings.IMPORT_QUEUE
        if settings.TASKS_BACKEND == "rq":
            # SimpleWorker runs jobs in this process (no fork per job): stopping the worker
            # stops its job, and the job's database connection is this process's.
            call_command(
                "rqworker",
                queue,
                burst=batch,
                worker_class="rq.worker.SimpleWorker",
                job_class="django_tasks_rq.Job",
                verbosity=verbosity,
            )
        else:
            call_command(
                "db_worker",
                queue_name=queue,
                batch=batch,
                reload=False,
                startup_delay=False,
                interval=1,
                verbosity=verbosity,
            )

"""Concurrent annotators through gunicorn: no acknowledged write lost, no 5xx.

The short version of ``python -m bench.load``: a throwaway database of the kind the
suite runs on (PostgreSQL when DATABASE_URL points at it, else a SQLite WAL file),
gunicorn with several workers, clients creating, editing and deleting spans at once;
and the scaled-out shape, with import jobs run by two workers on the RQ backend.
"""

import itertools
import os
import random
import signal
import subprocess
import sys
from urllib.parse import urlsplit, urlunsplit

from bench.load import (
    IMPORT_ANNOTATOR,
    IMPORT_ARTICLES,
    IMPORT_SPANS,
    Expected,
    ImportLedger,
    Ledger,
    _stop,
    audit,
    audit_imports,
    import_records,
    percentile,
    run_load,
)

STEPS = 15  # actions per client
TIME_BOUND = 180  # seconds; only stops a hung run


def _row(pk, *, annotator="bench000", note="", version=1, live=True, history=1):
    return {"id": pk, "annotator": annotator, "note": note, "version": version, "live": live, "history": history}


def test_the_audit_accepts_a_database_that_matches_the_ledger():
    ledger = Ledger()
    ledger.created(1, user="bench000", note="a", version=1)
    ledger.updated(1, note="c", version=3)
    ledger.updated(1, note="b", version=2)  # acknowledgements may arrive out of order
    ledger.created(2, user="bench000", note="", version=1)
    ledger.deleted(2, version=1)
    rows = [_row(1, note="c", version=3, history=3), _row(2, version=2, live=False, history=2)]
    assert audit(ledger, rows) == []


def test_the_audit_flags_lost_invented_and_resurrected_writes():
    ledger = Ledger()
    ledger.created(1, user="bench000", note="kept", version=1)
    ledger.created(2, user="bench000", note="", version=1)
    ledger.deleted(2, version=1)
    ledger.created(3, user="bench000", note="", version=1)
    rows = [
        _row(1, note="lost edit", version=1),  # note differs from the acknowledged one
        _row(2, version=2, live=True, history=2),  # acknowledged delete, still live
        _row(4),  # nobody was told about it
    ]
    problems = "\n".join(audit(ledger, rows))
    assert "annotation 1: note 'lost edit', expected 'kept'" in problems
    assert "annotation 2: acknowledged delete, but still in Annotation.objects" in problems
    assert "annotation 3: acknowledged create is missing" in problems
    assert "annotation 4: in the database, but no client was told" in problems


def test_a_deleted_annotation_is_expected_one_version_past_the_delete():
    assert Expected(user="u", version=4, deleted_at_version=4).final_version == 5


def test_percentiles_use_the_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert (percentile(values, 0.5), percentile(values, 0.95), percentile(values, 0.99)) == (50.0, 95.0, 99.0)
    assert percentile([], 0.5) == 0.0


def _database() -> tuple[str, dict]:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        name = f"{parts.path.lstrip('/') or 'postgres'}_load_{os.getpid()}"
        return "postgres", {"postgres_url": urlunsplit(parts._replace(path="/" + name)), "clients": 8}
    # SQLite serialises writers; fewer clients keep the run short. 503s are allowed there.
    return "sqlite", {"clients": 6}


def test_concurrent_annotators_lose_no_write_and_get_no_server_error():
    kind, options = _database()
    # A fixed amount of work (each client takes STEPS actions), not a fixed time: what is
    # checked is that nothing is lost, whatever the machine's speed; the time bound only stops
    # a hung run.
    report = run_load(kind, workers=3, articles=2, steps=STEPS, seconds=TIME_BOUND, **options)
    print(report.summary())
    assert report.problems == []
    assert report.crashes == []
    assert report.stats.server_errors == 0, report.stats.statuses
    assert report.stats.transport_errors == 0, report.stats.statuses
    # Every kind of write happened, concurrently, and was audited.
    assert {201, 200, 204} <= set(report.stats.statuses)
    assert report.acknowledged >= 50
    assert report.seconds < TIME_BOUND, "the run hit its time bound before every client finished its steps"


def test_two_servers_sharing_a_redis_cache_lose_no_write_and_lock_a_login_on_both():
    """The scaled-out shape in small: two gunicorn processes (two machines), the login
    throttle's counters in the local Redis (CACHE_URL)."""
    kind, options = _database()
    options = {**options, "clients": 4, "seconds": 3}
    report = run_load(kind, workers=1, articles=1, servers=2, cache_url="redis://127.0.0.1:6379/0", **options)
    print(report.summary())
    assert report.problems == [] and report.crashes == []
    assert report.stats.server_errors == 0 and report.stats.transport_errors == 0
    assert report.throttle_ok, report.shared_throttle
    assert "[400, 400, 400, 400, 400]; the right one next: 429" in report.shared_throttle[0]
    assert "database cache rows: 0" in report.shared_throttle[1]


def test_the_scaled_out_shape_with_two_rq_workers_imports_every_upload_once():
    """Two gunicorn processes, the throttle's counters in Redis, and two ``manage.py worker``
    processes on the RQ backend running the jobs of import clients that upload files while
    the annotators write. A fixed amount of work: a job lost, failed or run twice fails it."""
    kind, options = _database()
    options = {**options, "clients": 4, "steps": STEPS, "seconds": TIME_BOUND}
    report = run_load(
        kind,
        workers=1,
        articles=1,
        servers=2,
        cache_url="redis://127.0.0.1:6379/0",
        import_workers=2,
        import_clients=2,
        import_steps=3,
        **options,
    )
    print(report.summary())
    assert report.problems == [] and report.crashes == []
    assert report.stats.server_errors == 0 and report.stats.transport_errors == 0
    assert report.throttle_ok, report.shared_throttle
    imports = report.imports
    assert imports is not None
    assert imports.problems == [] and imports.crashes == []
    assert imports.stats.server_errors == 0 and imports.stats.transport_errors == 0
    assert [upload.status for upload in imports.ledger.uploads.values()] == ["done"] * 6
    assert (imports.articles, imports.spans) == (6 * IMPORT_ARTICLES, 6 * IMPORT_ARTICLES * IMPORT_SPANS)
    assert sum(imports.jobs_per_worker) == 6
    # Both workers were stopped and reaped; the run's Redis keys are gone.
    assert len(imports.exit_codes) == 2 and None not in imports.exit_codes
    assert imports.redis_keys_removed > 0
    assert report.ok
    assert report.seconds < TIME_BOUND, "the run hit its time bound before every client finished its steps"


def _imported(ledger: ImportLedger, *, skip_job=None, twice=None) -> dict:
    """What the database and RQ hold after ``ledger``'s uploads all ran once, except that
    ``skip_job`` never ran and ``twice``'s spans were written twice."""
    stored: dict = {"jobs": [], "articles": [], "spans": [], "rq": []}
    for pk, upload in ledger.uploads.items():
        spans = sum(len(record["label"]) for record in upload.records)
        done = pk != skip_job
        stored["jobs"].append(
            {
                "id": pk,
                "status": "done" if done else "queued",
                "created": len(upload.records) if done else 0,
                "updated": 0,
                "unchanged": 0,
                "spans": spans if done else 0,
                "errors": [],
            }
        )
        stored["rq"].append({"args": [pk], "status": "finished", "results": [["SUCCESSFUL", "done"]] if done else []})
        if not done:
            continue
        for record in upload.records:
            article = len(stored["articles"]) + 1
            stored["articles"].append({"id": article, "external_id": record["external_id"], "text": record["text"]})
            for start, end, label in record["label"] * (2 if pk == twice else 1):
                stored["spans"].append(
                    {
                        "article": article,
                        "start": start,
                        "end": end,
                        "label": label,
                        "text": record["text"][start:end],
                        "annotator": IMPORT_ANNOTATOR,
                        "live": True,
                        "history": 1,
                    }
                )
    return stored


def _import_ledger(jobs: int) -> ImportLedger:
    ledger, rng = ImportLedger(), random.Random(7)
    for pk in range(1, jobs + 1):
        ledger.uploaded(pk, import_records(f"import-0-{pk}", rng))
        ledger.polled(pk, status="done", seconds=0.5)
    return ledger


def test_the_import_audit_accepts_every_job_run_once():
    ledger = _import_ledger(2)
    assert audit_imports(ledger, _imported(ledger)) == []
    assert ledger.latencies == [0.5, 0.5]


def test_generated_import_spans_lie_in_their_text_and_do_not_overlap():
    for record in import_records("import-0-1", random.Random(1)):
        spans = sorted(record["label"])
        assert len(spans) == IMPORT_SPANS
        assert all(0 <= start < end <= len(record["text"]) for start, end, _ in spans)
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_the_import_audit_flags_a_lost_job():
    ledger = _import_ledger(2)
    stored = _imported(ledger, skip_job=2)
    problems = "\n".join(audit_imports(ledger, stored))
    assert "import job 2: queued, expected done" in problems
    assert "span import-0-2-0 [" in problems and "imported 0 times, expected once" in problems
    assert "article import-0-2-0: imported 0 times, expected once" in problems
    assert "import job 2: RQ job finished, runs [], expected one: done" in problems
    stored["jobs"] = [job for job in stored["jobs"] if job["id"] != 2]
    assert "import job 2: acknowledged upload, but no job in the database" in audit_imports(ledger, stored)


def test_the_import_audit_flags_a_job_imported_twice():
    ledger = _import_ledger(2)
    problems = "\n".join(audit_imports(ledger, _imported(ledger, twice=1)))
    assert "span import-0-1-0 [" in problems and "imported 2 times, expected once" in problems
    stored = _imported(ledger)
    stored["rq"][0]["results"] = [["SUCCESSFUL", "done"], ["SUCCESSFUL", None]]  # delivered to two workers
    stored["rq"].append({"args": [2], "status": "finished", "results": [["SUCCESSFUL", "done"]]})  # enqueued twice
    problems = "\n".join(audit_imports(ledger, stored))
    assert "import job 1: RQ job finished, runs [['SUCCESSFUL', 'done'], ['SUCCESSFUL', None]]" in problems
    assert "import job 2: 2 RQ jobs, expected one" in problems


def test_the_import_audit_flags_wrong_offsets_and_imports_nobody_uploaded():
    ledger = _import_ledger(1)
    stored = _imported(ledger)
    stored["spans"][0]["start"] += 1  # an offset moved: the uploaded span is gone, another is there
    stored["articles"].append({"id": 99, "external_id": "stray", "text": "x"})
    stored["jobs"].append({**stored["jobs"][0], "id": 5})
    problems = "\n".join(audit_imports(ledger, stored))
    assert "imported 0 times, expected once" in problems and "in no acknowledged upload" in problems
    assert "article stray: in the database, but no acknowledged upload carried it" in problems
    assert "import job 5: in the database, but no upload of it was acknowledged" in problems


def test_a_process_that_ignores_sigterm_is_killed_and_reaped():
    ignores = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print(flush=True); time.sleep(60)"
    stubborn = subprocess.Popen([sys.executable, "-c", ignores], stdout=subprocess.PIPE)
    stubborn.stdout.readline()  # the handler is in place
    polite = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    _stop([stubborn, polite], grace=1)
    stubborn.stdout.close()
    assert (stubborn.returncode, polite.returncode) == (-signal.SIGKILL, -signal.SIGTERM)

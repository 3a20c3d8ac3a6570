"""Concurrent annotators through gunicorn: no acknowledged write lost, no 5xx.

The short version of ``python -m bench.load``: a throwaway database of the kind the
suite runs on (PostgreSQL when DATABASE_URL points at it, else a SQLite WAL file),
gunicorn with several workers, clients creating, editing and deleting spans at once.
"""

import os
from urllib.parse import urlsplit, urlunsplit

from bench.load import Expected, Ledger, audit, percentile, run_load

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

"""The bulk engine: history rows as the services write them, batches, constant queries."""

import gc
import re
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from psycopg import pq

from annotations.importing import engine
from annotations.importing.sql import InFlight
from annotations.models import Annotation, Article, SourceLink
from tests.importing.helpers import jsonl, run

TEXT = "Selon Reuters, le café coûte 12 euros 🎉 et le thé 3 euros."


def _records(count: int) -> list[dict]:
    return [
        {"external_id": f"a-{n}", "text": f"{n}. {TEXT}", "label": [[0, 1, "claim"], [3, 16, "attribution"]]}
        for n in range(count)
    ]


def test_each_imported_span_and_link_has_its_created_history_row(tmp_path, alice, reuters):
    record = {
        "external_id": "x",
        "text": TEXT,
        "annotations": [
            {
                "start": 0,
                "end": 13,
                "label": "attribution",
                "note": "Vu <b>hier</b>",
                "source_links": [{"source": "reuters", "url": "https://www.reuters.com/a", "relation": "supports"}],
            }
        ],
    }
    run(jsonl(tmp_path / "h.jsonl", record), annotator="alice")
    annotation = Annotation.objects.get()
    (created,) = annotation.history.all()
    assert (created.history_type, created.start, created.end, created.text, created.note, created.version) == (
        "+",
        0,
        13,
        "Selon Reuters",
        "Vu hier",
        1,
    )
    assert (created.annotator_id, created.label_id, created.verdict_id) == (
        alice.pk,
        annotation.label_id,
        annotation.verdict_id,
    )
    link = SourceLink.objects.get()
    (link_created,) = link.history.all()
    assert (link_created.history_type, link_created.url, link_created.relation, link_created.annotation_id) == (
        "+",
        "https://www.reuters.com/a",
        "supports",
        annotation.pk,
    )


def test_a_file_larger_than_a_batch_is_imported_whole(tmp_path, alice, monkeypatch):
    monkeypatch.setattr(engine, "BATCH_RECORDS", 7)
    output = run(jsonl(tmp_path / "many.jsonl", *_records(30)), annotator="alice")
    assert "articles: 30 created" in output and "spans: 60 created" in output
    assert Annotation.history.model.objects.count() == 60
    for annotation in Annotation.objects.select_related("article"):
        assert annotation.article.text[annotation.start : annotation.end] == annotation.text


def test_a_bad_record_in_a_later_batch_leaves_nothing_from_earlier_batches(tmp_path, alice, monkeypatch):
    monkeypatch.setattr(engine, "BATCH_RECORDS", 5)
    records = _records(12)
    records[10]["label"] = [[0, 999, "claim"]]
    from tests.importing.helpers import refused

    assert "many.jsonl:11: span [0, 999]" in refused(jsonl(tmp_path / "many.jsonl", *records), annotator="alice")
    assert not Article.objects.exists()
    assert not Annotation.all_objects.exists()
    assert not Annotation.history.model.objects.exists()


def test_objects_from_before_the_import_are_left_out_of_collections_during_it_only(tmp_path, alice, seed_project):
    path = jsonl(tmp_path / "many.jsonl", *_records(3))
    frozen_during = []
    before = gc.get_freeze_count()
    with path.open("rb") as stream:
        engine.import_stream(
            stream,
            project=seed_project,
            name=str(path),
            format="jsonl",
            annotator=alice,
            progress=lambda done, total: frozen_during.append(gc.get_freeze_count()),
        )
    assert before == 0 and frozen_during[-1] > 0  # Django's objects, set aside while it wrote
    assert gc.get_freeze_count() == 0 and gc.isenabled()  # and back in the collector's scans after
    with path.open("rb") as stream, pytest.raises(engine.ImportFileError):
        engine.import_stream(stream, project=seed_project, name=str(path), format="csv", annotator=alice)
    assert gc.get_freeze_count() == 0  # after a failed import too


@pytest.mark.parametrize("count", [5, 50])
def test_the_queries_of_one_batch_do_not_grow_with_its_records(tmp_path, alice, count, django_assert_num_queries):
    path = jsonl(tmp_path / "many.jsonl", *_records(count))
    # --project; --annotator's user; SAVEPOINT; the project's claim types; its verdicts;
    # label "claim"; label "attribution"; articles already there; INSERT articles; INSERT
    # spans; copy the spans' history; RELEASE SAVEPOINT. The same for 5 records as for 50.
    # PostgreSQL also: lz4 for the transaction's long values (compress_fast).
    with django_assert_num_queries(13 if connection.vendor == "postgresql" else 12):
        run(path, annotator="alice")
    assert Annotation.objects.count() == 2 * count


def test_long_texts_are_stored_whole_and_on_postgresql_compressed_with_lz4(tmp_path, alice):
    # Long enough to be compressed (over 2 kB), and compressible.
    path = jsonl(tmp_path / "long.jsonl", {"external_id": "long", "text": TEXT * 200})
    run(path, annotator="alice")
    assert Article.objects.get(external_id="long").text == TEXT * 200
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_column_compression(text) FROM annotations_article WHERE external_id = 'long'")
            assert cursor.fetchone() == ("lz4",)


def test_a_rerun_adds_only_the_spans_that_are_new(tmp_path, alice):
    path = jsonl(tmp_path / "a.jsonl", {"external_id": "x", "text": TEXT, "label": [[0, 13, "attribution"]]})
    run(path, annotator="alice")
    jsonl(path, {"external_id": "x", "text": TEXT, "label": [[0, 13, "attribution"], [15, 37, "claim"]]})
    output = run(path, annotator="alice")
    assert "articles: 0 created, 0 updated, 1 unchanged; spans: 1 created, 1 already present" in output
    assert Annotation.history.model.objects.count() == 2


def _refusing(table: str, name: str) -> dict[str, list[str]]:
    """Statements that make the database refuse every row inserted into ``table``."""
    message = f"{name} refused here"
    return {
        "sqlite": [
            f"CREATE TRIGGER refuse_{name} BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, '{message}'); END"
        ],
        "postgresql": [
            f"CREATE FUNCTION refuse_{name}() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION '{message}'; END $$ "
            "LANGUAGE plpgsql",
            f"CREATE TRIGGER refuse_{name} BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION refuse_{name}()",
        ],
    }


@pytest.mark.parametrize(
    ("table", "name", "line"),
    [
        # The batched INSERTs bypass Django's cursor on SQLite (and COPY on PostgreSQL).
        ("annotations_annotation", "spans", "5"),
        # The history copy's error arrives while a later batch is read (InFlight).
        ("annotations_historicalannotation", "history", r"\d+"),
    ],
)
def test_a_row_the_database_refuses_fails_the_file_with_its_message(tmp_path, alice, monkeypatch, table, name, line):
    # The database's own refusal must still come back as the file's error, with nothing kept.
    from tests.importing.helpers import refused

    monkeypatch.setattr(engine, "BATCH_RECORDS", 5)
    with connection.cursor() as cursor:
        for statement in _refusing(table, name)[connection.vendor]:
            cursor.execute(statement)
    message = refused(jsonl(tmp_path / "many.jsonl", *_records(12)), annotator="alice")
    assert re.search(rf"many\.jsonl:{line}: the database refused the record \(", message), message
    assert f"{name} refused here" in message
    assert not Article.objects.exists() and not Annotation.all_objects.exists()


def test_a_refused_history_row_fails_the_file_when_its_statement_ended_before_the_wait(tmp_path, alice, monkeypatch):
    # The statement in flight may fail and end before the import waits for it (a thread
    # on SQLite); its error must still reach the file, not be lost.
    from tests.importing.helpers import refused

    send = InFlight.send

    def send_and_let_it_end(self, sql, params):
        send(self, sql, params)
        if self._thread is not None:
            self._thread.join()

    monkeypatch.setattr(InFlight, "send", send_and_let_it_end)
    monkeypatch.setattr(engine, "BATCH_RECORDS", 5)
    with connection.cursor() as cursor:
        for statement in _refusing("annotations_historicalannotation", "history")[connection.vendor]:
            cursor.execute(statement)
    message = refused(jsonl(tmp_path / "many.jsonl", *_records(12)), annotator="alice")
    assert "history refused here" in message
    assert not Article.objects.exists() and not Annotation.all_objects.exists()


def test_history_rows_are_copied_while_the_next_batch_is_read(tmp_path, alice, seed_project, monkeypatch):
    monkeypatch.setattr(engine, "BATCH_RECORDS", 5)
    path = jsonl(tmp_path / "many.jsonl", *_records(12))
    events = []  # in order: statements sent, batches written, waits that found something in flight
    send, finish, run = InFlight.send, InFlight.finish, InFlight._run

    def spy_send(self, sql, params):
        events.append("send")
        send(self, sql, params)

    def spy_finish(self, *exc_info):
        if self._pipeline is not None or self._thread is not None:
            events.append("wait")
        finish(self, *exc_info)

    def spy_run(self, *args):
        events.append("sqlite thread" if threading.current_thread() is not threading.main_thread() else "main")
        run(self, *args)

    monkeypatch.setattr(InFlight, "send", spy_send)
    monkeypatch.setattr(InFlight, "finish", spy_finish)
    monkeypatch.setattr(InFlight, "_run", spy_run)

    def progress(done, total):
        if done:
            pipeline = connection.vendor == "postgresql" and connection.connection.pgconn.pipeline_status
            events.append(("written", done, "pipeline on" if pipeline else "-"))

    with path.open("rb") as stream:
        engine.import_stream(
            stream, project=seed_project, name=str(path), format="jsonl", annotator=alice, progress=progress
        )
    copied = [e for e in events if e != "sqlite thread"]  # the thread's start may come before or after
    # The first batch's history is sent, still running while the second batch is read and
    # checked, and waited for only when the second batch writes.
    pipeline = "pipeline on" if connection.vendor == "postgresql" else "-"
    assert copied[:5] == ["send", ("written", 5, pipeline), "wait", "send", ("written", 10, pipeline)]
    if connection.vendor == "sqlite":
        assert events.count("sqlite thread") == 3 and "main" not in events
    else:
        assert connection.connection.pgconn.pipeline_status == pq.PipelineStatus.OFF  # waited for at the end
    assert Annotation.history.model.objects.count() == Annotation.objects.count() == 24


def test_a_batch_finds_its_stored_articles_by_the_unique_index(alice):
    # Each batch looks its records up by (project, external_id). With a second index on
    # project alone, SQLite took that one and read every article of the project for every
    # batch (9 of 48 s at 50,000 articles); the unique index is the only one to take.
    from django.db import connection

    from annotations.models import Project

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Article._meta.db_table)
    indexed = [c["columns"] for c in constraints.values() if (c["index"] or c["unique"]) and not c["primary_key"]]
    assert [columns for columns in indexed if columns[0] == "project_id"] == [["project_id", "external_id"]]
    batch = [engine._Article(None, f"a-{n}", {}, "fr", "ltr", False, False) for n in range(500)]
    seed = Project.objects.get(slug="seed")
    if connection.vendor == "sqlite":
        queryset = engine.stored_articles(seed, batch)
        assert "(project_id=? AND external_id=?)" in queryset.explain()
        return
    # PostgreSQL: one probe of the unique index by both columns per name. Without statistics
    # of an import's new rows it had taken that index by project alone, and read every
    # article of the project for every batch.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a small table is read whole
    with CaptureQueriesContext(connection) as queries:
        engine.stored_articles(seed, batch)
    (probe,) = [q["sql"] for q in queries.captured_queries if "unnest" in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + probe)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    unique = next(name for name, c in constraints.items() if c["columns"] == ["project_id", "external_id"])
    assert f"Index Scan using {unique}" in plan
    assert re.search(r"Index Cond: \(\(project_id = \d+\) AND \(\(external_id\)::text = e\.external_id\)\)", plan), plan

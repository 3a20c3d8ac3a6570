"""Query counts per chunk, the snapshot transaction, and closing the stream early."""

import json
import re

import pytest
from django.db import connection, connections

from annotations.export import export_chunks, parse_export_options
from annotations.models import Annotation, Article, Label, Source, SourceLink
from tests.export.conftest import records

pytestmark = pytest.mark.django_db

TEXT = "Selon Reuters, le café coûte 12 milliards. 🎉 " * 4


def make_corpus(annotator, *, articles: int, spans_per_article: int) -> None:
    """bulk_create so the test builds 400 spans quickly; the offsets still hold."""
    claim = Label.objects.get(slug="claim")
    reuters, _ = Source.objects.get_or_create(slug="reuters", defaults={"name": "Reuters"})
    created = Article.objects.bulk_create(
        Article(external_id=f"bulk-{n}", title=f"Bulk {n}", text=TEXT, language="fr", text_sha256="-")
        for n in range(articles)
    )
    spans = Annotation.objects.bulk_create(
        Annotation(article=a, annotator=annotator, start=i, end=i + 5, text=TEXT[i : i + 5], label=claim)
        for a in created
        for i in range(spans_per_article)
    )
    SourceLink.objects.bulk_create(
        SourceLink(annotation=span, source=reuters, relation=relation)
        for span in spans
        for relation in ("attributed", "context")
    )


def run(options=None, *, user=None, chunk_size=500) -> bytes:
    return b"".join(export_chunks(options or parse_export_options({}), user=user, chunk_size=chunk_size))


# 40 articles of 30 spans: more ids in one query than SQLite's old limit of 999 parameters.
@pytest.mark.parametrize(("articles", "spans_per_article"), [(3, 1), (40, 30)])
def test_one_chunk_takes_four_queries_whatever_it_holds(alice, django_assert_num_queries, articles, spans_per_article):
    make_corpus(alice, articles=articles, spans_per_article=spans_per_article)
    # 1. the articles of the chunk, 2. their spans (label, claim type, verdict, annotator
    # joined in), 3. the spans' source links with their sources, 4. the relations between them.
    with django_assert_num_queries(4):
        data = run(chunk_size=50)
    assert len(records(data)) == articles
    assert sum(len(r["annotations"]) for r in records(data)) == articles * spans_per_article


def test_each_chunk_adds_the_same_four_queries(alice, django_assert_num_queries):
    make_corpus(alice, articles=40, spans_per_article=10)
    # Chunks of 15, 15 and 10 articles: four queries each.
    with django_assert_num_queries(12):
        data = run(chunk_size=15)
    assert [r["external_id"] for r in records(data)] == [f"bulk-{n}" for n in range(40)]


def test_a_corpus_that_fills_its_last_chunk_ends_with_one_empty_read(alice, django_assert_num_queries):
    make_corpus(alice, articles=20, spans_per_article=2)
    with django_assert_num_queries(4 + 4 + 1):
        run(chunk_size=10)


def test_doccano_needs_no_source_links(alice, django_assert_num_queries):
    make_corpus(alice, articles=12, spans_per_article=3)
    with django_assert_num_queries(2):
        run(parse_export_options({"format": "doccano"}), chunk_size=50)


def test_an_annotators_export_adds_one_query_for_their_role(alice, django_assert_num_queries):
    make_corpus(alice, articles=12, spans_per_article=3)
    alice.refresh_from_db()  # drop the cached role
    # The reviewer-group check, then four queries for the one chunk.
    with django_assert_num_queries(5):
        data = run(user=alice, chunk_size=50)
    assert sum(len(r["annotations"]) for r in records(data)) == 36


def test_nothing_is_read_before_the_first_piece_is_asked_for(alice, django_assert_num_queries):
    make_corpus(alice, articles=3, spans_per_article=1)
    with django_assert_num_queries(0):
        chunks = export_chunks(parse_export_options({}), user=None)
    with django_assert_num_queries(4):
        next(chunks)


def test_it_yields_one_piece_per_chunk_each_made_of_whole_lines(alice):
    make_corpus(alice, articles=7, spans_per_article=2)
    pieces = list(export_chunks(parse_export_options({}), user=None, chunk_size=3))
    assert [piece.count(b"\n") for piece in pieces] == [3, 3, 1]
    assert all(piece.endswith(b"\n") for piece in pieces)


@pytest.mark.django_db(transaction=True)
def test_it_reads_one_snapshot_without_blocking_writers_and_closes_it_early(corpus):
    """Outside a test transaction, as in production: the export opens its own transaction."""
    chunks = export_chunks(parse_export_options({}), user=None, chunk_size=1)
    assert not connection.in_atomic_block
    first = next(chunks)
    assert connection.in_atomic_block
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            # A writer is not blocked (SQLite: the export began DEFERRED, not IMMEDIATE).
            cursor.execute("INSERT INTO auth_group (name) VALUES (%s)", ["written-during-export"])
            if connection.vendor == "postgresql":
                with connection.cursor() as mine:
                    mine.execute("SHOW transaction_isolation")
                    assert mine.fetchone()[0] == "repeatable read"
                    mine.execute("SHOW transaction_read_only")
                    assert mine.fetchone()[0] == "on"
                    mine.execute("SHOW enable_seqscan")
                    assert mine.fetchone()[0] == "off"
                    mine.execute("SHOW enable_nestloop")
                    assert mine.fetchone()[0] == "off"
                # An article committed mid-export is not in this export's snapshot.
                cursor.execute(
                    "INSERT INTO annotations_article (project_id, external_id, title, text, language, direction, "
                    "publisher, author, text_sha256, metadata, created_at, updated_at) "
                    "SELECT id, 'late', 'Late', 'Late text.', 'fr', 'ltr', '', '', '-', '{}', now(), now() "
                    "FROM annotations_project WHERE slug = 'seed'"
                )
    finally:
        other.close()
    rest = list(chunks)
    assert not connection.in_atomic_block
    exported = [r["external_id"] for r in records(first + b"".join(rest))]
    assert exported == ["test-article", "ar-001", "id-001"]


@pytest.mark.django_db(transaction=True)
def test_closing_the_stream_early_ends_the_transaction(corpus):
    chunks = export_chunks(parse_export_options({}), user=None, chunk_size=1)
    next(chunks)
    assert connection.in_atomic_block
    chunks.close()
    assert not connection.in_atomic_block
    assert Article.objects.count() == 3  # the connection is usable again


@pytest.mark.django_db(transaction=True)
def test_closing_the_http_response_ends_the_transaction(corpus, rita):
    from tests.conftest import api_client

    response = api_client(rita).get("/api/export/", {"format": "jsonl"})
    iterator = iter(response.streaming_content)
    next(iterator)
    assert connection.in_atomic_block
    response.close()
    assert not connection.in_atomic_block


def _first_step_of_the_span_query(selection) -> str:
    """How the database starts the span query a chunk runs: SQLite's first step of its
    plan, PostgreSQL's plan (with the export transaction's settings and no statistics)."""
    from annotations.export.queries import CHUNK_HIGH, CHUNK_IDS, CHUNK_LOW

    sql = selection.spans.sql
    if connection.vendor == "sqlite":
        params = [json.dumps([1, 2]) if value is CHUNK_IDS else value for value in selection.spans.params]
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return cursor.fetchall()[0][-1]
    from annotations.export.queries import _POSTGRESQL_EXPORT_SETTINGS

    chunk = {CHUNK_IDS: [1, 2], CHUNK_LOW: 1, CHUNK_HIGH: 2}
    params = [chunk.get(value, value) if value in chunk else value for value in selection.spans.params]
    with connection.cursor() as cursor:
        for setting in _POSTGRESQL_EXPORT_SETTINGS:
            cursor.execute(f"SET LOCAL {setting}")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def _assert_driven_by_the_chunks_articles(plan: str) -> None:
    if connection.vendor == "sqlite":
        assert "annotations_annotation" in plan and "(article_id=?" in plan, plan
    else:
        # Not a loop over the labels reading each label's spans through its index (every
        # span of the corpus, for every chunk): the spans come by the chunk's article ids.
        assert "Nested Loop" not in plan, plan
        assert re.search(r"Index Cond: \(\(article_id >= ", plan), plan
        assert "annotations_annotation_label_id" not in plan, plan


def test_chunk_queries_are_driven_by_the_chunks_articles(alice):
    """Every other condition is checked per span by primary key (see Selection).

    Without statistics, SQLite would otherwise drive the query from an indexed filter
    (annotator_id = …, updated_at >= …, the label) and read every matching span of the
    corpus for every chunk.
    """
    from annotations.export.queries import Selection

    make_corpus(alice, articles=3, spans_per_article=2)
    options = parse_export_options({"annotator": "alice", "label": "claim", "since": "2025-01-01"})
    selection = Selection(options, user=alice, using="default")
    sql = selection.spans.sql  # the span query each chunk runs, with the chunk's ids as one parameter
    # The WHERE clause outside the EXISTS (…) subquery filters on the chunk's article ids alone.
    outer = re.sub(r"EXISTS\(.*LIMIT 1( OFFSET 0)?\)", "", sql.split(" WHERE ", 1)[1])
    assert outer != sql.split(" WHERE ", 1)[1]
    assert re.search(r'"annotations_annotation"\."article_id" (IN \(SELECT value FROM json_each|= ANY)', outer)
    for column in ("annotator_id", "deleted_at", "updated_at", "label_id", "is_gold"):
        assert column not in outer
    _assert_driven_by_the_chunks_articles(_first_step_of_the_span_query(selection))


@pytest.mark.parametrize("layer", ["annotations", "gold", "all"])
def test_staff_reading_every_span_of_a_layer_need_no_check_per_span(alice, sam, layer):
    """No span filter and a reader who sees everything: the span's own columns, in the
    query itself (no per-span EXISTS), still driven by the chunk's articles."""
    from annotations.export.queries import Selection

    make_corpus(alice, articles=3, spans_per_article=2)
    for user in (sam, None):
        selection = Selection(parse_export_options({"layer": layer, "project": "seed"}), user=user, using="default")
        where = selection.spans.sql.split(" WHERE ", 1)[1]
        assert "EXISTS" not in where and "project" not in where
        assert ("is_gold" in where) == (layer != "all")
        assert '"annotations_annotation"."deleted_at" IS NULL' in where
        _assert_driven_by_the_chunks_articles(_first_step_of_the_span_query(selection))

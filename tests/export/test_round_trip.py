"""Export → import_articles into an empty corpus → export again gives the same corpus.

What is compared: every line, key by key and in key order, except what a new database
assigns afresh: article and annotation ``id`` and the spans' ``created_at``/``updated_at``
(import_articles writes spans through annotation_create, which stamps them now).
Everything else must come back identical: articles (text, hash, language, direction,
url, publisher, author, published_at, metadata), and per span offsets, text, label,
claim fields, source links (slug, name, url, relation), annotator and the gold flag.
The users and the label vocabulary stay (import_articles does not create users or
labels); the sources are deleted too and come back from the export's slugs and names.
"""

import io

import pytest
from django.core.management import call_command

from annotations.models import Annotation, Article, Source
from tests.export.conftest import TEXTS, records, run_export

pytestmark = pytest.mark.django_db

FRESH_ARTICLE_KEYS = {"id"}
FRESH_SPAN_KEYS = {"id", "created_at", "updated_at"}


def comparable(data: bytes) -> list[list[tuple]]:
    lines = []
    for record in records(data):
        items = [(key, value) for key, value in record.items() if key not in FRESH_ARTICLE_KEYS]
        lines.append(
            [
                (key, [[item for item in span.items() if item[0] not in FRESH_SPAN_KEYS] for span in value])
                if key == "annotations"
                else (key, value)
                for key, value in items
            ]
        )
    return lines


def empty_the_corpus() -> None:
    # Spans (deleted ones too) and their links first: an annotated article is protected.
    Annotation.all_objects.all().delete()
    Article.objects.all().delete()
    Source.objects.all().delete()
    assert Annotation.all_objects.count() == 0


def test_a_jsonl_export_imports_back_into_the_same_corpus(corpus, hard_corpus, tmp_path):
    corpus.arabic.metadata = {"seed_file": "ar-001.txt", "sources": ["Reuters"]}
    corpus.arabic.save()
    first = run_export(tmp_path, "--layer", "all", "--metadata")
    exported = tmp_path / "corpus.jsonl"
    exported.write_bytes(first)
    empty_the_corpus()

    call_command("import_articles", str(exported), stdout=io.StringIO())

    second = run_export(tmp_path, "--layer", "all", "--metadata")
    assert len(records(second)) == 3 + len(TEXTS)
    assert comparable(second) == comparable(first)
    # And the ids really are new ones: the comparison above is not vacuous about them.
    assert {r["id"] for r in records(second)}.isdisjoint({r["id"] for r in records(first)})


def test_a_doccano_export_imports_back_with_the_same_spans(corpus, alice, tmp_path):
    first = run_export(tmp_path, "--format", "doccano")
    exported = tmp_path / "doccano.jsonl"
    exported.write_bytes(first)
    empty_the_corpus()

    call_command("import_articles", str(exported), "--annotator", "alice", stdout=io.StringIO())

    second = run_export(tmp_path, "--format", "doccano")
    assert [(r["text"], r["label"]) for r in records(second)] == [(r["text"], r["label"]) for r in records(first)]

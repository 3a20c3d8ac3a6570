"""Relations in the exports: a "relations" key in every jsonl record, a linking annotation in w3c."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from annotations import services
from annotations.models import Relation
from tests.conftest import api_client
from tests.suggestions.conftest import ATTRIBUTION, CLAIM

pytestmark = pytest.mark.django_db


def _lines(response) -> list[dict]:
    return [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines() if line]


@pytest.fixture
def linked(alice, span, other_article):
    attribution = span(alice, **ATTRIBUTION, source_links=[{"source": "reuters"}])
    claim = span(alice, **CLAIM)
    relation = Relation.objects.create(from_annotation=attribution, to_annotation=claim, created_by=alice)
    return attribution, claim, relation


def test_the_jsonl_record_lists_its_relations_and_every_record_has_the_key(alice, linked, other_article):
    attribution, claim, relation = linked
    records = _lines(api_client(alice).get("/api/export/", {"format": "jsonl"}))
    by_id = {record["id"]: record for record in records}
    record = by_id[attribution.article_id]
    assert record["relations"] == [{"id": relation.pk, "from": attribution.pk, "to": claim.pk, "type": "attribution"}]
    ids = {annotation["id"] for annotation in record["annotations"]}
    assert {attribution.pk, claim.pk} <= ids
    assert by_id[other_article.pk]["relations"] == []


def test_a_relation_to_a_deleted_or_filtered_out_span_is_left_out(alice, linked):
    _, claim, _ = linked
    (record,) = _lines(api_client(alice).get("/api/export/", {"label": "claim", "include_empty": "0"}))
    assert record["relations"] == []
    services.annotation_delete(annotation=claim)
    (record,) = _lines(api_client(alice).get("/api/export/", {"include_empty": "0"}))
    assert record["relations"] == []


def test_another_annotator_s_export_has_neither_the_spans_nor_the_relation(bob, linked):
    for record in _lines(api_client(bob).get("/api/export/")):
        assert record["relations"] == [] and record["annotations"] == []


def test_the_w3c_export_adds_a_linking_annotation(alice, linked):
    attribution, claim, relation = linked
    lines = _lines(api_client(alice).get("/api/export/", {"format": "w3c"}))
    (link,) = [line for line in lines if line["id"].startswith("urn:factcheck:relation:")]
    assert link["id"] == f"urn:factcheck:relation:{relation.pk}"
    assert link["body"] == [
        {"type": "SpecificResource", "purpose": "linking", "source": f"urn:factcheck:annotation:{claim.pk}"},
        {"type": "TextualBody", "purpose": "tagging", "value": "relation:attribution"},
    ]
    assert link["target"] == {"source": f"urn:factcheck:annotation:{attribution.pk}", "selector": []}
    assert link["creator"] == {"type": "Person", "nickname": "alice"}
    # The same keys as a span's line, so the lines load as one table.
    assert set(link) == set(lines[0])
    assert {f"urn:factcheck:annotation:{attribution.pk}", f"urn:factcheck:annotation:{claim.pk}"} <= {
        line["id"] for line in lines
    }


def test_the_export_command_writes_the_same_relations(alice, linked):
    attribution, claim, relation = linked
    out = io.StringIO()
    call_command("export_corpus", "--format", "jsonl", "--no-empty", stdout=out)
    (record,) = [json.loads(line) for line in out.getvalue().splitlines() if line]
    assert record["relations"] == [{"id": relation.pk, "from": attribution.pk, "to": claim.pk, "type": "attribution"}]


@pytest.mark.parametrize("export_format", ["jsonl", "w3c"])
def test_the_exports_with_relations_load_with_datasets_and_pandas(alice, linked, tmp_path, monkeypatch, export_format):
    import datasets
    import pandas

    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    response = api_client(alice).get("/api/export/", {"format": export_format})
    path = tmp_path / "export.jsonl"
    path.write_bytes(b"".join(response.streaming_content))
    lines = [json.loads(line) for line in path.read_text("utf-8").splitlines()]
    loaded = datasets.load_dataset(
        "json", data_files=str(path), split="train", cache_dir=str(tmp_path / "hf-cache"), keep_in_memory=True
    )
    assert loaded.num_rows == len(lines)
    frame = pandas.read_json(path, lines=True)
    assert len(frame) == len(lines)
    if export_format == "jsonl":
        assert sum(len(row["relations"]) for row in loaded) == 1

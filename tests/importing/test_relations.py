"""Relations come in with their spans: our own export's (``from``/``to``) and doccano's
(``from_id``/``to_id``), by the span ids of the same record; once, whatever the re-runs."""

import json

from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations import services
from annotations.export import export_chunks, parse_export_options
from annotations.models import Annotation, Relation
from annotations.projects.services import project_create
from tests.importing.helpers import jsonl, refused, run

TEXT = "Selon Reuters, le café coûte 12 euros 🎉 et le thé 3 euros."
# "Selon Reuters" is [0, 13), "le café coûte 12 euros" is [15, 37).


def _spans(alice, article):
    # The article fixture: "Selon Reuters" is [0, 13), "OpenAI a signé un accord" [15, 39).
    attribution = services.annotation_create(article=article, annotator=alice, start=0, end=13, label="attribution")
    claim = services.annotation_create(article=article, annotator=alice, start=15, end=39, label="claim")
    return attribution, claim


def test_an_exported_corpus_imported_elsewhere_keeps_its_relations(tmp_path, alice, sam, article):
    attribution, claim = _spans(alice, article)
    services.relation_create(user=alice, from_annotation=attribution, to_annotation=claim)
    exported = b"".join(export_chunks(parse_export_options({"format": "jsonl"}), user=None))
    path = tmp_path / "export.jsonl"
    path.write_bytes(exported)
    project_create(slug="health", name="Health", languages=["fr"], creator=sam)

    output = run(path, project="health")
    assert "relations: 1 created" in output
    relation = Relation.objects.get(from_annotation__article__project__slug="health")
    assert (relation.from_annotation.text, relation.to_annotation.text, relation.type) == (
        "Selon Reuters",
        "OpenAI a signé un accord",
        "attribution",
    )
    assert relation.created_by == alice  # the command names no user: the layer's annotator
    assert [row.history_type for row in relation.history.all()] == ["+"]

    with CaptureQueriesContext(connection) as queries:
        again = run(path, project="health")
    assert "spans: 0 created, 2 already present" in again and "relations" not in again
    # The stored relations are looked up with the ids' range beside the list (statistics
    # of a running import's rows are missing on PostgreSQL; see engine._in_ids).
    (lookup,) = [q["sql"] for q in queries if q["sql"].startswith('SELECT "annotations_relation"')]
    assert '"from_annotation_id" >=' in lookup and '"from_annotation_id" <=' in lookup
    assert Relation.objects.filter(from_annotation__article__project__slug="health").count() == 1


def test_doccano_relations_link_its_entities_by_id(tmp_path, alice):
    record = {
        "external_id": "d-1",
        "text": TEXT,
        "entities": [
            {"id": 7, "start_offset": 0, "end_offset": 13, "label": "attribution"},
            {"id": 8, "start_offset": 15, "end_offset": 37, "label": "claim"},
        ],
        "relations": [{"id": 1, "from_id": 7, "to_id": 8, "type": "attribution"}],
    }
    output = run(jsonl(tmp_path / "doccano.jsonl", record), annotator="alice")
    assert "relations: 1 created" in output
    relation = Relation.objects.get()
    assert (relation.from_annotation.text, relation.to_annotation.text) == ("Selon Reuters", "le café coûte 12 euros")


def _with_relation(tmp_path, **relation):
    record = {
        "external_id": "r-1",
        "text": TEXT,
        "annotations": [
            {"id": 1, "start": 0, "end": 13, "label": "attribution", "annotator": "alice"},
            {"id": 2, "start": 15, "end": 37, "label": "claim", "annotator": "bob"},
            {"id": 3, "start": 15, "end": 37, "label": "claim", "annotator": "alice"},
        ],
        "relations": [relation],
    }
    return jsonl(tmp_path / "relations.jsonl", {"external_id": "first", "text": TEXT}, record)


def test_a_relation_that_cannot_stand_stops_the_file_naming_its_line(tmp_path, alice, bob):
    cases = [
        ({"from": 1, "to": 9}, "relations[0]: to 9 names no span of this record (by its id)."),
        ({"from": 1, "to": 3, "type": "quotes"}, "relations[0]: type must be one of attribution (got 'quotes')."),
        ({"from": 1, "to": 2}, "relations[0]: both spans must be in the same layer (one annotator's, or gold)."),
        ({"from": 3, "to": 3}, "relations[0]: a relation links two different spans."),
    ]
    for relation, message in cases:
        assert f"relations.jsonl:2: {message}" in refused(_with_relation(tmp_path, **relation))
    assert not Annotation.objects.exists() and not Relation.objects.exists()
    output = run(_with_relation(tmp_path, **{"from": 1, "to": 3}))
    assert "articles: 2 created" in output and "relations: 1 created" in output


def test_relations_must_be_a_list_of_objects(tmp_path, alice):
    for relations, message in (({"from": 1}, "relations must be a list."), ([7], "each relation must be an object.")):
        record = {"text": TEXT, "label": [[0, 13, "attribution"]], "relations": relations}
        assert message in refused(jsonl(tmp_path / "r.jsonl", record), annotator="alice")


def test_export_records_name_their_spans_and_relations_as_the_import_reads_them(alice, article):
    attribution, claim = _spans(alice, article)
    services.relation_create(user=alice, from_annotation=attribution, to_annotation=claim)
    (line,) = b"".join(export_chunks(parse_export_options({"format": "jsonl"}), user=None)).splitlines()
    record = json.loads(line)
    assert [span["id"] for span in record["annotations"]] == [attribution.pk, claim.pk]
    assert [(r["from"], r["to"], r["type"]) for r in record["relations"]] == [(attribution.pk, claim.pk, "attribution")]


def test_a_relation_between_two_copies_of_one_span_is_left_out(tmp_path, alice):
    record = {
        "text": TEXT,
        "annotations": [
            {"id": 1, "start": 0, "end": 13, "label": "attribution"},
            {"id": 2, "start": 0, "end": 13, "label": "attribution"},  # the same span again
        ],
        "relations": [{"from": 1, "to": 2, "type": "attribution"}],
    }
    output = run(jsonl(tmp_path / "twice.jsonl", record), annotator="alice")
    assert "spans: 1 created, 1 already present" in output and "relations" not in output
    assert Annotation.objects.count() == 1 and not Relation.objects.exists()

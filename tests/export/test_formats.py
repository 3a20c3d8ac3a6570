"""Each export format's records on the fixture corpus, written out by hand."""

import hashlib

import pytest

from annotations.export.queries import iso_from_sqlite_text
from tests.export.conftest import records, run_export

pytestmark = pytest.mark.django_db

FRENCH = "Selon Reuters, OpenAI a signé un accord. 🎉 Le café coûte 12 milliards de dollars.\nFin."
ARABIC = "قالت رويترز إن الشركة ستستثمر 5 مليارات دولار."
INDONESIAN = "Pemerintah mengumumkan anggaran baru."
T0 = "2025-11-21T10:00:00Z"
T0_MS = "2025-11-21T10:00:00.250000Z"
T1 = "2025-11-22T12:00:00Z"
REUTERS_ATTRIBUTED = {"source": "reuters", "name": "Reuters", "url": None, "relation": "attributed"}


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def expected_jsonl(c) -> list[dict]:
    return [
        {
            "id": c.french.pk,
            "project": "seed",
            "external_id": "test-article",
            "title": "Selon Reuters",
            "language": "fr",
            "direction": "ltr",
            "url": None,
            "publisher": "Test",
            "author": None,
            "published_at": None,
            "text": FRENCH,
            "text_sha256": sha(FRENCH),
            "annotations": [
                {
                    "id": c.attribution.pk,
                    "start": 0,
                    "end": 13,
                    "text": "Selon Reuters",
                    "label": "attribution",
                    "claim_type": None,
                    "checkworthy": None,
                    "verdict": "unchecked",
                    "note": "",
                    "source_links": [REUTERS_ATTRIBUTED],
                    "annotator": "alice",
                    "created_at": T0,
                    "updated_at": T0,
                    "is_gold": False,
                },
                {
                    "id": c.accord.pk,
                    "start": 15,
                    "end": 39,
                    "text": "OpenAI a signé un accord",
                    "label": "claim",
                    "claim_type": "event",
                    "checkworthy": True,
                    "verdict": "true",
                    "note": "Confirmé par l'AFP.",
                    "source_links": [
                        {
                            "source": "reuters",
                            "name": "Reuters",
                            "url": "https://www.reuters.com/technology/openai-accord",
                            "relation": "supports",
                        },
                        {"source": "cnbc", "name": "CNBC", "url": None, "relation": "context"},
                    ],
                    "annotator": "bob",
                    "created_at": T0,
                    "updated_at": T1,
                    "is_gold": False,
                },
                {
                    "id": c.cafe.pk,
                    "start": 43,
                    "end": 80,
                    "text": "Le café coûte 12 milliards de dollars",
                    "label": "claim",
                    "claim_type": "quantity",
                    "checkworthy": True,
                    "verdict": "unchecked",
                    "note": "",
                    "source_links": [],
                    "annotator": "alice",
                    "created_at": T0_MS,
                    "updated_at": T0_MS,
                    "is_gold": False,
                },
            ],
            "relations": [],
        },
        {
            "id": c.arabic.pk,
            "project": "seed",
            "external_id": "ar-001",
            "title": "رويترز: استثمار جديد",
            "language": "ar",
            "direction": "rtl",
            "url": "https://example.org/ar/1",
            "publisher": "رويترز عربي",
            "author": "سارة",
            "published_at": "2025-11-20T08:30:00Z",
            "text": ARABIC,
            "text_sha256": sha(ARABIC),
            "annotations": [
                {
                    "id": c.investment.pk,
                    "start": 15,
                    "end": 45,
                    "text": "الشركة ستستثمر 5 مليارات دولار",
                    "label": "claim",
                    "claim_type": "quantity",
                    "checkworthy": False,
                    "verdict": "unchecked",
                    "note": "",
                    "source_links": [REUTERS_ATTRIBUTED],
                    "annotator": "bob",
                    "created_at": T0,
                    "updated_at": T0,
                    "is_gold": False,
                }
            ],
            "relations": [],
        },
        {
            "id": c.indonesian.pk,
            "project": "seed",
            "external_id": "id-001",
            "title": "Anggaran baru",
            "language": "id",
            "direction": "ltr",
            "url": None,
            "publisher": None,
            "author": None,
            "published_at": None,
            "text": INDONESIAN,
            "text_sha256": sha(INDONESIAN),
            "annotations": [],
            "relations": [],
        },
    ]


def test_it_exports_one_record_per_article_as_in_the_design(corpus, tmp_path):
    assert records(run_export(tmp_path, "--format", "jsonl")) == expected_jsonl(corpus)


def test_it_writes_keys_in_the_documented_order(corpus, tmp_path):
    record = records(run_export(tmp_path))[0]
    assert list(record) == [
        "id",
        "project",
        "external_id",
        "title",
        "language",
        "direction",
        "url",
        "publisher",
        "author",
        "published_at",
        "text",
        "text_sha256",
        "annotations",
        "relations",
    ]
    assert list(record["annotations"][0]) == [
        "id",
        "start",
        "end",
        "text",
        "label",
        "claim_type",
        "checkworthy",
        "verdict",
        "note",
        "source_links",
        "annotator",
        "created_at",
        "updated_at",
        "is_gold",
    ]


def test_it_writes_utf8_without_ascii_escapes_one_line_per_record(corpus, tmp_path):
    data = run_export(tmp_path)
    assert "café coûte".encode() in data
    assert "🎉".encode() in data
    assert "رويترز".encode() in data
    assert b"\\u" not in data
    assert data.count(b"\n") == 3
    assert b"\r" not in data


def test_it_exports_doccano_sequence_labelling_records(corpus, tmp_path):
    c = corpus
    assert records(run_export(tmp_path, "--format", "doccano")) == [
        {"id": c.french.pk, "text": FRENCH, "label": [[0, 13, "attribution"], [15, 39, "claim"], [43, 80, "claim"]]},
        {"id": c.arabic.pk, "text": ARABIC, "label": [[15, 45, "claim"]]},
        {"id": c.indonesian.pk, "text": INDONESIAN, "label": []},
    ]


def test_it_exports_one_flat_line_per_span(corpus, tmp_path):
    c = corpus
    french = {"article_id": c.french.pk, "external_id": "test-article", "language": "fr"}
    assert records(run_export(tmp_path, "--format", "spans")) == [
        {
            **french,
            "annotation_id": c.attribution.pk,
            "start": 0,
            "end": 13,
            "text": "Selon Reuters",
            "label": "attribution",
            "claim_type": None,
            "checkworthy": None,
            "verdict": "unchecked",
            "note": "",
            "sources": ["reuters"],
            "annotator": "alice",
            "created_at": T0,
            "updated_at": T0,
            "is_gold": False,
        },
        {
            **french,
            "annotation_id": c.accord.pk,
            "start": 15,
            "end": 39,
            "text": "OpenAI a signé un accord",
            "label": "claim",
            "claim_type": "event",
            "checkworthy": True,
            "verdict": "true",
            "note": "Confirmé par l'AFP.",
            "sources": ["reuters", "cnbc"],
            "annotator": "bob",
            "created_at": T0,
            "updated_at": T1,
            "is_gold": False,
        },
        {
            **french,
            "annotation_id": c.cafe.pk,
            "start": 43,
            "end": 80,
            "text": "Le café coûte 12 milliards de dollars",
            "label": "claim",
            "claim_type": "quantity",
            "checkworthy": True,
            "verdict": "unchecked",
            "note": "",
            "sources": [],
            "annotator": "alice",
            "created_at": T0_MS,
            "updated_at": T0_MS,
            "is_gold": False,
        },
        {
            "article_id": c.arabic.pk,
            "external_id": "ar-001",
            "language": "ar",
            "annotation_id": c.investment.pk,
            "start": 15,
            "end": 45,
            "text": "الشركة ستستثمر 5 مليارات دولار",
            "label": "claim",
            "claim_type": "quantity",
            "checkworthy": False,
            "verdict": "unchecked",
            "note": "",
            "sources": ["reuters"],
            "annotator": "bob",
            "created_at": T0,
            "updated_at": T0,
            "is_gold": False,
        },
    ]


def tag(value: str, purpose: str = "tagging") -> dict:
    return {"type": "TextualBody", "purpose": purpose, "value": value}


def test_it_exports_w3c_web_annotations_with_quote_and_position_selectors(corpus, tmp_path):
    c = corpus
    context = "http://www.w3.org/ns/anno.jsonld"
    french = "urn:factcheck:article:test-article"
    assert records(run_export(tmp_path, "--format", "w3c")) == [
        {
            "@context": context,
            "id": f"urn:factcheck:annotation:{c.attribution.pk}",
            "type": "Annotation",
            "created": T0,
            "modified": T0,
            "creator": {"type": "Person", "nickname": "alice"},
            "body": [
                tag("attribution"),
                tag("verdict:unchecked", "assessing"),
                {"type": "SpecificResource", "purpose": "linking", "source": "urn:factcheck:source:reuters"},
                tag("source:reuters:attributed"),
            ],
            "target": {
                "source": french,
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": "Selon Reuters",
                        "prefix": "",
                        "suffix": ", OpenAI a signé un accord. 🎉 Le",
                    },
                    {"type": "TextPositionSelector", "start": 0, "end": 13},
                ],
            },
        },
        {
            "@context": context,
            "id": f"urn:factcheck:annotation:{c.accord.pk}",
            "type": "Annotation",
            "created": T0,
            "modified": T1,
            "creator": {"type": "Person", "nickname": "bob"},
            "body": [
                tag("claim"),
                tag("claim_type:event", "classifying"),
                tag("verdict:true", "assessing"),
                tag("checkworthy:yes", "assessing"),
                {
                    "type": "TextualBody",
                    "purpose": "commenting",
                    "value": "Confirmé par l'AFP.",
                    "format": "text/plain",
                },
                {
                    "type": "SpecificResource",
                    "purpose": "linking",
                    "source": "https://www.reuters.com/technology/openai-accord",
                },
                tag("source:reuters:supports"),
                {"type": "SpecificResource", "purpose": "linking", "source": "urn:factcheck:source:cnbc"},
                tag("source:cnbc:context"),
            ],
            "target": {
                "source": french,
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": "OpenAI a signé un accord",
                        "prefix": "Selon Reuters, ",
                        "suffix": ". 🎉 Le café coûte 12 milliards d",
                    },
                    {"type": "TextPositionSelector", "start": 15, "end": 39},
                ],
            },
        },
        {
            "@context": context,
            "id": f"urn:factcheck:annotation:{c.cafe.pk}",
            "type": "Annotation",
            "created": T0_MS,
            "modified": T0_MS,
            "creator": {"type": "Person", "nickname": "alice"},
            "body": [
                tag("claim"),
                tag("claim_type:quantity", "classifying"),
                tag("verdict:unchecked", "assessing"),
                tag("checkworthy:yes", "assessing"),
            ],
            "target": {
                "source": french,
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": "Le café coûte 12 milliards de dollars",
                        "prefix": "rs, OpenAI a signé un accord. 🎉 ",
                        "suffix": ".\nFin.",
                    },
                    {"type": "TextPositionSelector", "start": 43, "end": 80},
                ],
            },
        },
        {
            "@context": context,
            "id": f"urn:factcheck:annotation:{c.investment.pk}",
            "type": "Annotation",
            "created": T0,
            "modified": T0,
            "creator": {"type": "Person", "nickname": "bob"},
            "body": [
                tag("claim"),
                tag("claim_type:quantity", "classifying"),
                tag("verdict:unchecked", "assessing"),
                tag("checkworthy:no", "assessing"),
                {"type": "SpecificResource", "purpose": "linking", "source": "urn:factcheck:source:reuters"},
                tag("source:reuters:attributed"),
            ],
            "target": {
                "source": "https://example.org/ar/1",
                "selector": [
                    {
                        "type": "TextQuoteSelector",
                        "exact": "الشركة ستستثمر 5 مليارات دولار",
                        "prefix": "قالت رويترز إن ",
                        "suffix": ".",
                    },
                    {"type": "TextPositionSelector", "start": 15, "end": 45},
                ],
            },
        },
    ]


def test_it_never_exports_deleted_spans(corpus, tmp_path):
    c = corpus
    live = {c.attribution.pk, c.accord.pk, c.cafe.pk, c.gold.pk, c.investment.pk}
    jsonl = records(run_export(tmp_path, "--layer", "all"))
    assert {span["id"] for record in jsonl for span in record["annotations"]} == live
    spans = records(run_export(tmp_path, "--format", "spans", "--layer", "all"))
    assert {span["annotation_id"] for span in spans} == live
    w3c = records(run_export(tmp_path, "--format", "w3c", "--layer", "all"))
    assert {annotation["id"] for annotation in w3c} == {f"urn:factcheck:annotation:{pk}" for pk in live}
    doccano = records(run_export(tmp_path, "--format", "doccano", "--layer", "all"))
    assert [82, 85, "claim"] not in doccano[0]["label"]


@pytest.mark.parametrize(
    ("stored", "exported"),
    [
        ("2025-11-21 10:00:00", "2025-11-21T10:00:00Z"),
        ("2025-11-21 10:00:00.250000", "2025-11-21T10:00:00.250000Z"),
        # Not the shape Django writes (a row written by hand): parsed, then written in UTC.
        ("2025-11-21T12:00:00+02:00", "2025-11-21T10:00:00Z"),
        ("2025-11-21 10:00", "2025-11-21T10:00:00Z"),
        (None, None),
    ],
)
def test_timestamps_stored_as_sqlite_text_are_written_like_the_api_writes_them(stored, exported):
    assert iso_from_sqlite_text(stored) == exported

"""Exports of claims: format=claims, claimreview and averitec (API and export_corpus); each
loads in pandas and Hugging Face datasets."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.test import override_settings

from annotations.claims.services import claim_attach, claim_create, claim_update
from annotations.models import Annotation, Article
from tests.conftest import api_client

pytestmark = pytest.mark.django_db

AVERITEC_FIELDS = [
    "claim_id",
    "claim",
    "label",
    "justification",
    "claim_date",
    "speaker",
    "original_claim_url",
    "reporting_source",
    "fact_checking_article",
    "claim_types",
    "questions",
]


@pytest.fixture(autouse=True)
def offline(monkeypatch):
    # datasets reads local files only; make sure it never tries the hub.
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")


@pytest.fixture
def checked(alice, bob, vera, seed_span):
    """The CoreWeave claim (French and Arabic appearances, a verdict, evidence) and an unchecked one."""
    Article.objects.filter(external_id="001_1332d41e4d87d38b").update(url="https://example.fr/openai-google")
    claim = claim_create(user=alice, annotation=seed_span(alice, "coreweave-deal", 0))
    arabic = seed_span(bob, "coreweave-deal", 1)
    Annotation.objects.filter(pk=arabic.pk).update(claim_type=arabic.article.project.claimtypes.get(slug="quantity"))
    claim_attach(user=bob, claim=claim, annotation=arabic)
    claim_update(
        user=vera,
        claim=claim,
        expected_version=None,
        changes={
            "verdict": "mostly-true",
            "status": "published",
            "claimant": "OpenAI",
            "claim_date": datetime.date(2025, 3, 10),
            "rating_explanation": "The filing says $11.9 billion over five years.",
            "review_url": "https://factcheck.example.org/coreweave",
        },
        evidence=[{"source": "reuters", "url": "https://www.reuters.com/coreweave", "relation": "supports"}],
    )
    unchecked = claim_create(user=alice, annotation=seed_span(alice, "openai-revenue", 0))
    return claim, unchecked


def export(user, **params):
    response = api_client(user).get("/api/export/", params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    return [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]


def test_the_claims_format_carries_every_appearance_with_its_offsets(vera, checked):
    claim, unchecked = checked

    rows = export(vera, format="claims", project="seed")

    assert [r["id"] for r in rows] == [claim.pk, unchecked.pk]
    record = rows[0]
    assert record["verdict"] == "mostly-true"
    assert record["evidence"] == [
        {"source": "reuters", "name": "Reuters", "url": "https://www.reuters.com/coreweave", "relation": "supports"}
    ]
    assert [(a["external_id"], a["language"]) for a in record["appearances"]] == [
        ("001_1332d41e4d87d38b", "fr"),
        ("004_c22e451cfeffb7b0", "ar"),
    ]
    for appearance in record["appearances"]:
        text = Article.objects.get(external_id=appearance["external_id"]).text
        assert text[appearance["start"] : appearance["end"]] == appearance["text"]
    assert set(rows[1]) == set(record)  # every record has the same keys


def test_claimreview_is_schema_org_json_ld_for_claims_with_a_verdict(vera, checked):
    claim, _unchecked = checked

    with override_settings(CLAIMREVIEW_AUTHOR_NAME="Cek Fakta", CLAIMREVIEW_AUTHOR_URL="https://cekfakta.example"):
        [record] = export(vera, format="claimreview")

    assert record["@context"] == "https://schema.org"
    assert record["@type"] == "ClaimReview"
    assert record["claimReviewed"] == claim.statement
    assert record["url"] == "https://factcheck.example.org/coreweave"
    assert record["author"] == {"@type": "Organization", "name": "Cek Fakta", "url": "https://cekfakta.example"}
    claim.refresh_from_db()
    assert record["datePublished"] == claim.updated_at.date().isoformat()
    rating = record["reviewRating"]
    assert rating["alternateName"] == "Mostly true"
    assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (4, 5, 1)
    item = record["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "OpenAI"}
    assert item["datePublished"] == "2025-03-10"
    assert [a["url"] for a in item["appearance"]] == ["https://example.fr/openai-google", None]
    assert [a["inLanguage"] for a in item["appearance"]] == ["fr", "ar"]


@pytest.mark.parametrize(
    ("verdict", "label", "rating"),
    [
        ("true", "Supported", 5),
        ("mostly-true", "Supported", 4),
        ("mixed", "Conflicting Evidence/Cherrypicking", 3),
        ("mostly-false", "Refuted", 2),
        ("false", "Refuted", 1),
        ("unverifiable", "Not Enough Evidence", None),
    ],
)
def test_verdicts_map_onto_averitec_labels_and_claimreview_ratings(vera, checked, verdict, label, rating):
    claim, _unchecked = checked
    claim_update(user=vera, claim=claim, expected_version=None, changes={"verdict": verdict})

    [averitec] = export(vera, format="averitec")
    [claimreview] = export(vera, format="claimreview")

    assert averitec["label"] == label
    assert claimreview["reviewRating"]["ratingValue"] == rating


def test_averitec_has_its_field_names(vera, checked):
    claim, _unchecked = checked

    [record] = export(vera, format="averitec")

    assert list(record) == AVERITEC_FIELDS
    assert record["claim"] == claim.statement
    assert record["claim_date"] == "10-03-2025"  # AVeriTeC's day-first dates
    assert record["speaker"] == "OpenAI"
    assert record["original_claim_url"] == "https://example.fr/openai-google"
    assert record["fact_checking_article"] == "https://factcheck.example.org/coreweave"
    assert record["justification"] == "The filing says $11.9 billion over five years."
    assert record["claim_types"] == ["Numerical Claim"]
    assert record["questions"] == []


def test_an_annotator_exports_the_claims_of_their_projects_with_their_own_appearances(alice, olga, checked):
    rows = export(alice, format="claims")
    assert [a["language"] for a in rows[0]["appearances"]] == ["fr"]  # bob's Arabic span is his

    assert export(olga, format="claims") == []
    assert api_client(olga).get("/api/export/", {"format": "claims", "project": "seed"}).status_code == 404


def test_the_filters_choose_claims(vera, bob, checked):
    claim, unchecked = checked

    assert [r["id"] for r in export(vera, format="claims", claim=str(unchecked.pk))] == [unchecked.pk]
    assert [r["id"] for r in export(vera, format="claims", language="ar")] == [claim.pk]
    assert [r["id"] for r in export(vera, format="claims", annotator="bob")] == [claim.pk]
    anonymous = export(vera, format="claims", anonymize="1")
    assert "alice" not in json.dumps(anonymous) and "bob" not in json.dumps(anonymous)
    response = api_client(vera).get("/api/export/", {"format": "jsonl", "claim": "1"})
    assert response.status_code == 400
    assert "claim" in response.json()


def test_the_claims_export_takes_the_same_queries_for_2_and_8_claims(
    vera, checked, alice, seed_span, django_assert_num_queries
):
    def run():
        response = api_client(vera).get("/api/export/", {"format": "claims"})
        return b"".join(response.streaming_content).count(b"\n")

    # the claims (with project, verdict, creator), their evidence, their appearances
    with django_assert_num_queries(3):
        assert run() == 2
    for key in ("google-cloud-revenue", "foxconn-racks", "foxconn-capex", "foxconn-nvidia", "chinese-model-downloads"):
        claim_create(user=alice, annotation=seed_span(alice, key, 0))
    claim_create(user=alice, annotation=seed_span(alice, "reuters-report", 1))
    with django_assert_num_queries(3):
        assert run() == 8


@pytest.mark.parametrize("fmt", ["claims", "claimreview", "averitec"])
def test_every_claim_export_loads_in_pandas_and_datasets(checked, tmp_path, fmt):
    import datasets
    import pandas

    path = tmp_path / f"{fmt}.jsonl"
    call_command("export_corpus", "--format", fmt, "--output", str(path))
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines

    frame = pandas.read_json(io.StringIO("\n".join(lines)), lines=True)
    assert len(frame) == len(lines)
    loaded = datasets.load_dataset(
        "json", data_files=str(path), split="train", cache_dir=str(tmp_path / "hf-cache"), keep_in_memory=True
    )
    assert loaded.num_rows == len(lines)
    assert loaded.column_names == list(json.loads(lines[0]))


def test_export_corpus_card_fills_the_dataset_card(checked, tmp_path):
    path = tmp_path / "README.md"
    call_command("export_corpus", "--card", "--output", str(path))
    card = path.read_text(encoding="utf-8")

    front, body = card.split("---\n", 2)[1:]
    assert "language:\n- ar\n- id\n- fr\n" in front or "language:\n- id\n" in front
    assert "- config_name: claimreview" in front
    assert "{%" not in card and "{{" not in card
    assert "| articles | 5 (" in body
    assert "| claims | 2, 1 with a verdict, 3 appearances |" in body
    assert "| `mostly-true` | Mostly true | 4 | Supported | mostly_true |" in body
    assert "| `unverifiable` | Unverifiable | — | Not Enough Evidence | complicated |" in body
    assert 'text[start:end] == span["text"]' in body

"""POST /api/review/articles/<id>/gold/ takes the same strict input as POST /api/annotations/:
the same types, limits, unknown-key refusal, parser and errors (one door), also when the
span already exists in the gold layer."""

import json

import pytest

from annotations.models import Annotation
from tests.conftest import api_client

pytestmark = pytest.mark.django_db

SPAN = {"start": 0, "end": 5, "label": "claim"}


@pytest.fixture
def doors(article, reuters, rita):
    """Post one body to both doors; each answer as (status, JSON)."""
    client = api_client(rita)

    def post(body: dict) -> tuple[tuple[int, dict], tuple[int, dict]]:
        span = client.post("/api/annotations/", {"article": article.pk, **body}, format="json")
        gold = client.post(f"/api/review/articles/{article.pk}/gold/", body, format="json")
        return (span.status_code, span.json()), (gold.status_code, gold.json())

    return post


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"start": "0"}, "start"),
        ({"end": 5.0}, "end"),
        ({"checkworthy": "yes"}, "checkworthy"),
        ({"checkworthy": 1}, "checkworthy"),
        ({"label": 7}, "label"),
        ({"note": 42}, "note"),
        ({"note": "x" * 10_001}, "note"),
        ({"verdict": "nonsense"}, "verdict"),
        ({"claimtype": "quantity"}, "claimtype"),
        ({"source_links": [{"source": "reuters"}] * 101}, "source_links"),
        ({"source_links": [{"source": "reuters", "url": "javascript:alert(1)"}]}, "source_links"),
        ({"source_links": [{"source": "reuters", "relation": "attributed", "colour": "red"}]}, "source_links"),
        ({"source_links": [{"source": "reuters", "url": "https://example.org/" + "a" * 2048}]}, "source_links"),
        ({"source_links": {"source": "reuters"}}, "source_links"),
    ],
)
def test_the_gold_door_refuses_what_the_annotation_door_refuses_with_the_same_errors(doors, changes, field):
    (span_status, span_errors), (gold_status, gold_errors) = doors({**SPAN, **changes})
    assert span_status == gold_status == 400
    assert field in gold_errors
    assert gold_errors == span_errors
    assert not Annotation.objects.exists()


def test_the_gold_door_takes_what_the_annotation_door_takes(doors):
    body = {
        **SPAN,
        "text": "Selon",
        "claim_type": "quantity",
        "checkworthy": True,
        "verdict": "false",
        "note": "checked",
        "source_links": [{"source": "reuters", "url": "https://www.reuters.com/x", "relation": "supports"}],
    }
    (span_status, _), (gold_status, _) = doors(body)
    assert (span_status, gold_status) == (201, 201)
    assert Annotation.objects.filter(is_gold=True).count() == 1


def test_a_body_nested_100000_deep_answers_400_not_500(article, rita):
    body = "[" * 100_000 + "]" * 100_000
    response = api_client(rita).post(f"/api/review/articles/{article.pk}/gold/", body, content_type="application/json")
    assert response.status_code == 400
    assert "nested too deeply" in response.json()["detail"]


def test_a_lone_surrogate_answers_400(article, rita):
    body = json.dumps({**SPAN, "note": "\ud800"})
    response = api_client(rita).post(f"/api/review/articles/{article.pk}/gold/", body, content_type="application/json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"verdict": "nonsense"}, "verdict"),
        ({"claim_type": "gossip"}, "claim_type"),
        ({"source_links": [{"source": "reuters", "url": "javascript:alert(1)"}]}, "source_links"),
        ({"source_links": [{"source": "nobody"}]}, "source_links"),
        ({"text": "Other"}, "text"),
        ({"note": "\x00"}, "note"),
        ({"checkworthy": "yes"}, "checkworthy"),
    ],
)
def test_re_posting_an_existing_gold_span_with_bad_fields_is_refused_not_ignored(
    article, reuters, rita, changes, field
):
    client = api_client(rita)
    url = f"/api/review/articles/{article.pk}/gold/"
    first = client.post(url, SPAN, format="json")
    assert first.status_code == 201
    gold = Annotation.objects.get(is_gold=True)

    again = client.post(url, {**SPAN, **changes}, format="json")
    assert again.status_code == 400, again.content
    assert field in again.json()
    unchanged = Annotation.objects.get(pk=gold.pk)
    assert (unchanged.version, unchanged.verdict_id, unchanged.note) == (gold.version, gold.verdict_id, gold.note)


def test_re_posting_an_existing_gold_span_returns_it(article, reuters, rita):
    client = api_client(rita)
    url = f"/api/review/articles/{article.pk}/gold/"
    first = client.post(url, SPAN, format="json")
    again = client.post(url, {**SPAN, "text": "Selon"}, format="json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["gold"] == first.json()["gold"]

"""/api/relations/: an attribution span linked to its claim, in one article and one layer."""

from __future__ import annotations

import pytest

from annotations import services
from annotations.models import Relation
from tests.conftest import api_client
from tests.suggestions.conftest import ATTRIBUTION, CLAIM

pytestmark = pytest.mark.django_db

URL = "/api/relations/"


def _link(user, from_id, to_id, **extra):
    return api_client(user).post(URL, {"from": from_id, "to": to_id, **extra}, format="json")


def test_it_links_an_attribution_to_its_claim_and_lists_it(alice, span):
    attribution, claim = span(alice, **ATTRIBUTION), span(alice, **CLAIM)
    response = _link(alice, attribution.pk, claim.pk)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {k: body[k] for k in ("from", "to", "type", "article")} == {
        "from": attribution.pk,
        "to": claim.pk,
        "type": "attribution",
        "article": attribution.article_id,
    }
    listed = api_client(alice).get(URL, {"article": attribution.article_id}).json()
    assert [r["id"] for r in listed["results"]] == [body["id"]]


def test_linking_the_same_pair_again_returns_the_existing_relation(alice, span):
    attribution, claim = span(alice, **ATTRIBUTION), span(alice, **CLAIM)
    first = _link(alice, attribution.pk, claim.pk).json()
    again = _link(alice, attribution.pk, claim.pk)
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert Relation.objects.count() == 1


def test_it_records_creation_and_deletion_in_history(alice, span):
    attribution, claim = span(alice, **ATTRIBUTION), span(alice, **CLAIM)
    relation_id = _link(alice, attribution.pk, claim.pk).json()["id"]
    assert api_client(alice).delete(f"{URL}{relation_id}/").status_code == 204
    assert not Relation.objects.filter(pk=relation_id).exists()
    kinds = list(
        Relation.history.filter(id=relation_id).order_by("history_date").values_list("history_type", flat=True)
    )
    assert kinds == ["+", "-"]


def test_it_rejects_spans_in_two_articles(alice, span, other_article):
    attribution = span(alice, **ATTRIBUTION)
    claim = span(alice, target=other_article, **CLAIM)
    response = _link(alice, attribution.pk, claim.pk)
    assert response.status_code == 400
    assert response.json() == {"to": ["Both spans must be in the same article."]}
    assert Relation.objects.count() == 0


def test_it_rejects_spans_of_two_annotators(alice, bob, rita, span):
    attribution, claim = span(alice, **ATTRIBUTION), span(bob, **CLAIM)
    # rita reads both layers, so the refusal is about the layers, not about access.
    response = _link(rita, attribution.pk, claim.pk)
    assert response.status_code == 400
    assert "same layer" in response.json()["to"][0]


def test_it_rejects_a_gold_span_with_an_annotator_span(alice, rita, span):
    attribution = span(rita, is_gold=True, **ATTRIBUTION)
    claim = span(alice, **CLAIM)
    assert _link(rita, attribution.pk, claim.pk).status_code == 400


def test_it_rejects_a_span_linked_to_itself_and_an_unknown_type(alice, span):
    attribution = span(alice, **ATTRIBUTION)
    claim = span(alice, **CLAIM)
    assert _link(alice, attribution.pk, attribution.pk).json() == {"to": ["A relation links two different spans."]}
    assert "type" in _link(alice, attribution.pk, claim.pk, type="supports").json()


@pytest.mark.parametrize(
    "body",
    [{}, {"from": "1", "to": 2}, {"from": 1.5, "to": 2}, {"from": True, "to": 2}, {"from": 1, "to": 2, "x": 1}],
)
def test_it_refuses_malformed_bodies_with_a_message_per_field(alice, body):
    response = api_client(alice).post(URL, body, format="json")
    assert response.status_code == 400
    assert all(isinstance(messages, list) for messages in response.json().values())


def test_an_annotator_cannot_link_or_see_someone_else_s_spans(alice, bob, span):
    attribution, claim = span(bob, **ATTRIBUTION), span(bob, **CLAIM)
    response = _link(alice, attribution.pk, claim.pk)
    assert response.status_code == 400
    assert response.json()["from"] == [f"No annotation {attribution.pk} that you can read."]
    relation, _ = Relation.objects.get_or_create(from_annotation=attribution, to_annotation=claim, created_by=bob)
    assert api_client(alice).get(URL).json()["count"] == 0
    assert api_client(alice).delete(f"{URL}{relation.pk}/").status_code == 404


def test_a_reviewer_reads_an_annotator_s_relation_but_may_not_change_their_layer(alice, rita, span):
    attribution, claim = span(alice, **ATTRIBUTION), span(alice, **CLAIM)
    relation_id = _link(alice, attribution.pk, claim.pk).json()["id"]
    assert api_client(rita).get(URL).json()["count"] == 1
    assert api_client(rita).delete(f"{URL}{relation_id}/").status_code == 403
    other_claim = span(alice, start=57, end=80, label="claim")
    assert _link(rita, attribution.pk, other_claim.pk).status_code == 403
    assert Relation.objects.count() == 1


def test_reviewers_link_gold_spans_and_annotators_may_not(alice, rita, span):
    attribution = span(rita, is_gold=True, **ATTRIBUTION)
    claim = span(rita, is_gold=True, **CLAIM)
    assert _link(rita, attribution.pk, claim.pk).status_code == 201
    assert _link(alice, attribution.pk, claim.pk).status_code == 400  # gold is not alice's to read


def test_deleting_a_span_hides_its_relations_and_restoring_it_shows_them(alice, span):
    attribution, claim = span(alice, **ATTRIBUTION), span(alice, **CLAIM)
    _link(alice, attribution.pk, claim.pk)
    services.annotation_delete(annotation=claim)
    assert api_client(alice).get(URL).json()["count"] == 0
    services.annotation_restore(annotation=claim)
    assert api_client(alice).get(URL).json()["count"] == 1


def test_it_requires_login_and_csrf(alice, span):
    attribution, claim = span(alice, **ATTRIBUTION), span(alice, **CLAIM)
    assert api_client().get(URL).status_code in (401, 403)
    response = api_client(alice, csrf=True).post(URL, {"from": attribution.pk, "to": claim.pk}, format="json")
    assert response.status_code == 403
    assert Relation.objects.count() == 0


def test_it_rejects_a_bad_article_filter(alice):
    assert api_client(alice).get(URL, {"article": "x"}).status_code == 400


@pytest.mark.parametrize("size", [1, 6])
def test_listing_takes_the_same_queries_at_any_size(alice, span, django_assert_num_queries, size):
    for index in range(size):
        attribution = span(alice, **ATTRIBUTION, note=str(index))
        claim = span(alice, **CLAIM, note=str(index))
        Relation.objects.create(from_annotation=attribution, to_annotation=claim, created_by=alice)
    client = api_client(alice)
    # Is alice a reviewer (her groups), the count, the page's rows; force_authenticate needs no session.
    with django_assert_num_queries(3):
        response = client.get(URL)
    assert response.json()["count"] == size

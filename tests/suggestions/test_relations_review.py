"""Relations through review: adjudication keeps them in gold, agreement counts them."""

from __future__ import annotations

import pytest

from annotations.models import Relation
from annotations.review.workflow import gold_accept, gold_reject
from tests.conftest import api_client
from tests.suggestions.conftest import ATTRIBUTION, CLAIM

pytestmark = pytest.mark.django_db


def _linked(user, span):
    attribution, claim = span(user, **ATTRIBUTION), span(user, **CLAIM)
    Relation.objects.create(from_annotation=attribution, to_annotation=claim, created_by=user)
    return attribution, claim


def test_accepting_both_spans_into_gold_keeps_their_relation(alice, rita, span):
    attribution, claim = _linked(alice, span)
    gold_attribution = gold_accept(reviewer=rita, annotation_id=attribution.pk)
    assert not Relation.objects.filter(from_annotation__is_gold=True).exists()  # the claim is not gold yet
    gold_claim = gold_accept(reviewer=rita, annotation_id=claim.pk)
    (relation,) = Relation.objects.filter(from_annotation__is_gold=True)
    assert (relation.from_annotation_id, relation.to_annotation_id, relation.type) == (
        gold_attribution.pk,
        gold_claim.pk,
        "attribution",
    )
    # Accepting again does not duplicate it; the order of acceptance does not matter.
    gold_accept(reviewer=rita, annotation_id=attribution.pk)
    assert Relation.objects.filter(from_annotation__is_gold=True).count() == 1


def test_a_rejected_span_takes_no_relation_into_gold(alice, rita, span):
    attribution, claim = _linked(alice, span)
    gold_reject(reviewer=rita, annotation_id=attribution.pk)
    gold_accept(reviewer=rita, annotation_id=claim.pk)
    assert not Relation.objects.filter(from_annotation__is_gold=True).exists()


def test_gold_relations_appear_in_the_relation_list_for_reviewers(alice, rita, span):
    attribution, claim = _linked(alice, span)
    gold_accept(reviewer=rita, annotation_id=claim.pk)
    gold_accept(reviewer=rita, annotation_id=attribution.pk)
    listed = api_client(rita).get("/api/relations/").json()
    assert listed["count"] == 2  # alice's and gold's


def test_agreement_counts_relations_between_exactly_matching_spans(article, alice, bob, rita, span):
    _linked(alice, span)
    _linked(bob, span)
    # bob links a second, unmatched pair too.
    extra_attribution = span(bob, start=0, end=5, label="attribution")
    extra_claim = span(bob, start=57, end=80, label="claim")
    Relation.objects.create(from_annotation=extra_attribution, to_annotation=extra_claim, created_by=bob)
    (pair,) = api_client(rita).get("/api/agreement/", {"article": article.pk}).json()["pairs"]
    assert pair["relations"] == {
        "precision": 0.5,
        "recall": 1.0,
        "f1": pytest.approx(2 / 3),
        "matches": 1,
        "n_a": 1,
        "n_b": 2,
    }


def test_the_agreement_page_shows_the_relation_figures(client, article, alice, bob, rita, span):
    _linked(alice, span)
    _linked(bob, span)
    client.force_login(rita)
    html = client.get("/review/agreement/", {"article": article.pk}).content.decode()
    assert "Relations" in html
    assert 'data-figure="relations-f1"' in html
    assert "1 matches; A has 1 relations, B 1." in html

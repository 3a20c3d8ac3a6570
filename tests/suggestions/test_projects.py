"""Relations and suggestions inside projects: members only, the project's reviewers for gold,
and the project's `suggestions` setting."""

from __future__ import annotations

import json
import re

import pytest

from annotations.models import Relation
from annotations.services import annotation_create
from tests.conftest import api_client

pytestmark = pytest.mark.django_db

ATTRIBUTION = "Selon l'OMS"
CLAIM = "12 millions de doses ont été livrées"


def _pair(article, user, *, is_gold=False):
    spans = []
    for phrase, label in ((ATTRIBUTION, "attribution"), (CLAIM, "claim")):
        start = article.text.index(phrase)
        spans.append(
            annotation_create(
                article=article, annotator=user, start=start, end=start + len(phrase), label=label, is_gold=is_gold
            )
        )
    return spans


def _link(user, head, tail):
    return api_client(user).post("/api/relations/", {"from": head.pk, "to": tail.pk}, format="json")


def test_a_project_annotator_links_their_own_spans(hana, health_article):
    head, tail = _pair(health_article, hana)
    assert _link(hana, head, tail).status_code == 201


def test_a_project_reviewer_links_gold_spans_there_and_its_annotators_may_not(hana, rhea, health_article):
    head, tail = _pair(health_article, rhea, is_gold=True)
    assert _link(hana, head, tail).status_code == 400  # gold is not hers to read
    assert _link(rhea, head, tail).status_code == 201


def test_a_reviewer_of_another_project_cannot_touch_this_one(rhea, alice, article):
    head, tail = _pair_in_seed(article, alice)
    response = _link(rhea, head, tail)
    assert response.status_code == 400
    assert Relation.objects.count() == 0


def _pair_in_seed(article, alice):
    attribution = annotation_create(article=article, annotator=alice, start=0, end=13, label="attribution")
    claim = annotation_create(article=article, annotator=alice, start=15, end=39, label="claim")
    return attribution, claim


def test_an_outsider_lists_no_relation_of_a_project(alice, hana, health_article):
    head, tail = _pair(health_article, hana)
    assert _link(hana, head, tail).status_code == 201
    assert api_client(alice).get("/api/relations/").json()["count"] == 0
    assert api_client(alice).get("/api/relations/", {"article": health_article.pk}).json()["count"] == 0
    assert api_client(alice).get(f"/api/articles/{health_article.pk}/suggestions/").status_code == 404


def _page_data(client, article) -> dict:
    html = client.get(f"/articles/{article.pk}/").content.decode()
    match = re.search(r'<script id="annotator-data" type="application/json">(.*?)</script>', html, re.S)
    assert match, "the annotate page embeds its data"
    return json.loads(match.group(1))


def test_the_project_setting_turns_suggestions_off_on_the_annotate_page(client, hana, health, health_article):
    client.force_login(hana)
    assert _page_data(client, health_article)["suggestions"] == {"enabled": True}
    health.suggestions = False
    health.save()
    assert _page_data(client, health_article)["suggestions"] == {"enabled": False}

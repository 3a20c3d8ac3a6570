"""GET /api/articles/{id}/suggestions/ and POST …/suggestions/{sid}/dismiss/."""

from __future__ import annotations

import pytest

from annotations import services
from annotations.models import Article, Dismissal, Source
from tests.conftest import api_client

pytestmark = pytest.mark.django_db

FRENCH = "001_1332d41e4d87d38b"


@pytest.fixture
def french(seeds) -> Article:
    return Article.objects.get(external_id=FRENCH)


def _suggestions(user, article):
    response = api_client(user).get(f"/api/articles/{article.pk}/suggestions/")
    assert response.status_code == 200
    return response.json()["suggestions"]


def test_it_suggests_selon_reuters_with_its_source_and_paired_claim(alice, french):
    suggestions = _suggestions(alice, french)
    by_id = {s["id"]: s for s in suggestions}
    selon = next(s for s in suggestions if s["text"] == "Selon Reuters")
    assert set(selon) == {"id", "start", "end", "text", "label", "sources", "score", "reason", "pair"}
    assert (selon["label"], selon["sources"]) == ("attribution", ["reuters"])
    assert french.text[selon["start"] : selon["end"]] == "Selon Reuters"
    claim = by_id[selon["pair"]]
    assert (claim["label"], claim["text"]) == ("claim", "cette coopération discute à huis clos depuis un certain temps")
    assert selon["reason"] and 0 < selon["score"] <= 1
    for s in suggestions:
        assert french.text[s["start"] : s["end"]] == s["text"]


def test_it_works_for_every_seed_language(alice, seeds):
    for article in Article.objects.all():
        labels = {s["label"] for s in _suggestions(alice, article)}
        assert labels == {"attribution", "claim"}, article.language


def test_it_leaves_out_what_the_user_already_marked_with_the_same_label(alice, bob, french):
    selon = next(s for s in _suggestions(alice, french) if s["text"] == "Selon Reuters")
    # alice marks "Reuters" alone as an attribution: the overlapping suggestion goes, for her only.
    services.annotation_create(
        article=french, annotator=alice, start=selon["start"] + 6, end=selon["end"], label="attribution"
    )
    mine = _suggestions(alice, french)
    assert selon["id"] not in {s["id"] for s in mine}
    assert selon["pair"] in {s["id"] for s in mine}  # the claim is another label: still offered
    assert selon["id"] in {s["id"] for s in _suggestions(bob, french)}
    # A claim overlapping the attribution's span does not hide it (different label).
    services.annotation_create(article=french, annotator=bob, start=selon["start"], end=selon["end"], label="claim")
    assert selon["id"] in {s["id"] for s in _suggestions(bob, french)}


def test_a_dismissed_suggestion_stays_dismissed_for_that_user(alice, bob, french):
    selon = next(s for s in _suggestions(alice, french) if s["text"] == "Selon Reuters")
    url = f"/api/articles/{french.pk}/suggestions/{selon['id']}/dismiss/"
    assert api_client(alice).post(url).status_code == 204
    assert api_client(alice).post(url).status_code == 204  # again: still one dismissal
    assert Dismissal.objects.filter(user=alice).count() == 1
    assert selon["id"] not in {s["id"] for s in _suggestions(alice, french)}
    assert selon["id"] in {s["id"] for s in _suggestions(bob, french)}


def test_an_attribution_whose_claim_is_dismissed_points_at_nothing(alice, french):
    selon = next(s for s in _suggestions(alice, french) if s["text"] == "Selon Reuters")
    api_client(alice).post(f"/api/articles/{french.pk}/suggestions/{selon['pair']}/dismiss/")
    again = next(s for s in _suggestions(alice, french) if s["id"] == selon["id"])
    assert again["pair"] is None


@pytest.mark.parametrize("sid", ["0123456789abcdef", "nothex", "A" * 16])
def test_dismissing_an_unknown_suggestion_is_not_found(alice, french, sid):
    response = api_client(alice).post(f"/api/articles/{french.pk}/suggestions/{sid}/dismiss/")
    assert response.status_code == 404
    assert Dismissal.objects.count() == 0


def test_it_needs_login_and_csrf_and_an_existing_article(alice, french):
    assert api_client().get(f"/api/articles/{french.pk}/suggestions/").status_code in (401, 403)
    assert api_client(alice).get("/api/articles/999999/suggestions/").status_code == 404
    sid = _suggestions(alice, french)[0]["id"]
    response = api_client(alice, csrf=True).post(f"/api/articles/{french.pk}/suggestions/{sid}/dismiss/")
    assert response.status_code == 403
    assert Dismissal.objects.count() == 0


@pytest.mark.parametrize("size", [1, 8])
def test_it_takes_the_same_queries_however_many_spans_and_dismissals(alice, french, django_assert_num_queries, size):
    suggestions = _suggestions(alice, french)
    for index in range(size):
        services.annotation_create(article=french, annotator=alice, start=index, end=index + 1, label="claim")
        Dismissal.objects.create(article=french, user=alice, suggestion=suggestions[index]["id"])
    client = api_client(alice)
    # The article, the registry, alice's dismissals, alice's spans on it.
    with django_assert_num_queries(4):
        client.get(f"/api/articles/{french.pk}/suggestions/")


def test_unconfirmed_sources_are_not_suggested_until_staff_confirm_them(alice, french):
    def selon_sources():
        return next(s["sources"] for s in _suggestions(alice, french) if s["text"] == "Selon Reuters")

    Source.objects.filter(slug="reuters").update(confirmed=False)
    assert selon_sources() == []
    Source.objects.filter(slug="reuters").update(confirmed=True)
    assert selon_sources() == ["reuters"]

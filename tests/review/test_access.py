"""Only reviewers and staff see several annotators' work: annotators get 403 everywhere here."""

import pytest

from tests.conftest import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def spans(article, alice, bob, mark):
    return {
        "alice": mark(article, alice, 15, 40, note="alice-secret-note"),
        "bob": mark(article, bob, 15, 39, note="bob-secret-note"),
    }


def pages(article):
    return ["/review/", "/review/agreement/", f"/review/articles/{article.pk}/", "/review/progress/"]


def reads(article):
    return ["/api/agreement/", f"/api/agreement/?article={article.pk}", f"/api/review/articles/{article.pk}/"]


def writes(article, spans):
    return [
        f"/api/review/annotations/{spans['bob'].pk}/accept/",
        f"/api/review/annotations/{spans['bob'].pk}/reject/",
        f"/api/review/articles/{article.pk}/gold/",
    ]


def test_anonymous_visitors_are_sent_to_the_login_page(client, article):
    for url in pages(article):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


def test_anonymous_api_calls_are_refused(article, spans):
    client = api_client()
    for url in reads(article):
        assert client.get(url).status_code in (401, 403), url
    for url in writes(article, spans):
        assert client.post(url, {}, format="json").status_code in (401, 403), url


def test_an_annotator_cannot_see_anyone_elses_spans_on_any_review_page(client, article, spans, alice):
    client.force_login(alice)
    for url in pages(article):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"bob-secret-note" not in response.content


def test_an_annotator_cannot_call_the_review_api(article, spans, alice):
    for client in (api_client(alice), api_client(alice, csrf=True)):
        for url in reads(article):
            response = client.get(url)
            assert response.status_code == 403, url
            assert b"bob-secret-note" not in response.content
    client = api_client(alice)
    for url in writes(article, spans):
        assert client.post(url, {"start": 0, "end": 5, "label": "claim"}, format="json").status_code == 403, url
    from annotations.models import Annotation, ReviewDecision

    assert not Annotation.objects.filter(is_gold=True).exists() and not ReviewDecision.objects.exists()


def test_a_reviewer_sees_every_annotators_spans(client, article, spans, rita):
    client.force_login(rita)
    response = client.get(f"/review/articles/{article.pk}/")
    assert response.status_code == 200
    assert b"alice-secret-note" in response.content and b"bob-secret-note" in response.content
    state = api_client(rita).get(f"/api/review/articles/{article.pk}/").json()
    notes = {cell["note"] for row in state["rows"] for cell in row["cells"].values()}
    assert notes == {"alice-secret-note", "bob-secret-note"}
    for url in ["/review/", "/review/agreement/"]:
        assert client.get(url).status_code == 200, url
    assert api_client(rita).get("/api/agreement/").status_code == 200


def test_the_progress_page_is_for_staff(client, article, spans, rita, sam):
    client.force_login(rita)
    assert client.get("/review/progress/").status_code == 403
    client.force_login(sam)
    assert client.get("/review/progress/").status_code == 200


def test_staff_may_use_every_review_page_and_endpoint(client, article, spans, sam):
    client.force_login(sam)
    for url in pages(article):
        assert client.get(url).status_code == 200, url
    for url in reads(article):
        assert api_client(sam).get(url).status_code == 200, url
    response = api_client(sam).post(f"/api/review/annotations/{spans['bob'].pk}/accept/", {}, format="json")
    assert response.status_code == 200


def test_an_unknown_article_is_not_found(client, rita):
    client.force_login(rita)
    assert client.get("/review/articles/999999/").status_code == 404
    assert api_client(rita).get("/api/review/articles/999999/").status_code == 404


def test_the_readers_behind_the_pages_go_through_visible_to(article, spans, alice, rita):
    # The views admit reviewers only; underneath, the queries still ask visible_to whose spans
    # the viewer may read, so a mistake in a permission check would not leak spans.
    from annotations.review.agreement import agreement_report
    from annotations.review.workflow import adjudication_state

    mine = adjudication_state(article, viewer=alice)
    assert {name for row in mine["rows"] for name in row["cells"]} == {"alice"}
    assert agreement_report(viewer=alice)["annotators"] == ["alice"]
    everyone = adjudication_state(article, viewer=rita)
    assert {name for row in everyone["rows"] for name in row["cells"]} == {"alice", "bob"}


def test_a_huge_article_id_is_not_found(client, rita):
    client.force_login(rita)
    assert client.get(f"/review/articles/{10**30}/").status_code == 404

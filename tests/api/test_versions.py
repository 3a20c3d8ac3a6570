"""No lost updates: a write names the version it edited; a stale one answers 409."""

import pytest

from annotations.models import Annotation
from tests.conftest import api_client


@pytest.fixture
def span(alice, make_annotation):
    return make_annotation(alice, note="first")


def test_a_fresh_version_writes_and_increments_it(alice, span):
    response = api_client(alice).patch(f"/api/annotations/{span.pk}/", {"note": "second", "version": 1})
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert response["ETag"] == '"2"'
    assert Annotation.objects.get(pk=span.pk).note == "second"


def test_a_stale_version_answers_409_with_the_current_annotation_and_keeps_the_other_change(alice, span):
    tab_one, tab_two = api_client(alice), api_client(alice)
    assert tab_one.patch(f"/api/annotations/{span.pk}/", {"note": "from tab one", "version": 1}).status_code == 200

    response = tab_two.patch(f"/api/annotations/{span.pk}/", {"note": "from tab two", "verdict": "false", "version": 1})
    assert response.status_code == 409
    data = response.json()
    assert "changed by someone else" in data["detail"]
    assert (data["current"]["id"], data["current"]["note"], data["current"]["version"]) == (span.pk, "from tab one", 2)
    assert data["current"]["source_links"][0]["source"] == "reuters"
    assert response["ETag"] == '"2"'
    stored = Annotation.objects.get(pk=span.pk)
    assert (stored.note, stored.verdict.slug, stored.version) == ("from tab one", "unchecked", 2)


def test_a_stale_put_changes_nothing_not_even_the_links(alice, span):
    client = api_client(alice)
    client.patch(f"/api/annotations/{span.pk}/", {"note": "newer"})
    body = {"article": span.article_id, "start": 0, "end": 5, "label": "claim", "source_links": [], "version": 1}
    assert client.put(f"/api/annotations/{span.pk}/", body).status_code == 409
    stored = Annotation.objects.get(pk=span.pk)
    assert (stored.start, stored.note, stored.source_links.count()) == (57, "newer", 1)


def test_a_stale_delete_answers_409_and_deletes_nothing(alice, span):
    client = api_client(alice)
    client.patch(f"/api/annotations/{span.pk}/", {"note": "newer"})
    response = client.delete(f"/api/annotations/{span.pk}/", {"version": 1})
    assert response.status_code == 409
    assert response.json()["current"]["note"] == "newer"
    assert Annotation.objects.filter(pk=span.pk).exists()


def test_if_match_with_the_etag_read_writes(alice, span):
    client = api_client(alice)
    tag = client.get(f"/api/annotations/{span.pk}/")["ETag"]
    response = client.patch(f"/api/annotations/{span.pk}/", {"note": "via If-Match"}, HTTP_IF_MATCH=tag)
    assert response.status_code == 200
    assert response.json()["version"] == 2


def test_a_stale_if_match_answers_409(alice, span):
    client = api_client(alice)
    tag = client.get(f"/api/annotations/{span.pk}/")["ETag"]
    client.patch(f"/api/annotations/{span.pk}/", {"note": "someone else"})
    response = client.patch(f"/api/annotations/{span.pk}/", {"note": "mine"}, HTTP_IF_MATCH=tag)
    assert response.status_code == 409
    assert Annotation.objects.get(pk=span.pk).note == "someone else"
    weak = client.delete(f"/api/annotations/{span.pk}/", HTTP_IF_MATCH=f"W/{tag}")
    assert weak.status_code == 409
    assert Annotation.objects.filter(pk=span.pk).exists()


def test_if_match_star_writes_whatever_the_version(alice, span):
    client = api_client(alice)
    client.patch(f"/api/annotations/{span.pk}/", {"note": "v2"})
    assert client.patch(f"/api/annotations/{span.pk}/", {"note": "v3"}, HTTP_IF_MATCH="*").status_code == 200


def test_without_any_version_the_write_proceeds(alice, span):
    client = api_client(alice)
    client.patch(f"/api/annotations/{span.pk}/", {"note": "v2"})
    response = client.patch(f"/api/annotations/{span.pk}/", {"note": "v3"})
    assert response.status_code == 200
    assert response.json()["version"] == 3


def test_it_answers_404_when_the_annotation_was_deleted_before_an_edit(alice, make_annotation):
    annotation = make_annotation(alice)
    client = api_client(alice)
    assert client.delete(f"/api/annotations/{annotation.pk}/").status_code == 204
    response = client.patch(f"/api/annotations/{annotation.pk}/", {"note": "late", "version": 2}, format="json")
    assert response.status_code == 404
    assert Annotation.all_objects.get(pk=annotation.pk).note == ""

"""Annotations through the API: create, read, edit, delete, restore; who may do what."""

import pytest

from annotations.models import Annotation, SourceLink
from tests.api.conftest import CLAIM, row_counts
from tests.conftest import api_client


def test_it_creates_an_annotation_with_a_source_link(alice, article, reuters):
    body = {
        "article": article.pk,
        "label": "claim",
        **CLAIM,
        "claim_type": "quantity",
        "checkworthy": True,
        "note": "Check the <b>figure</b>",
        "source_links": [{"source": "reuters", "url": "https://www.reuters.com/x", "relation": "attributed"}],
    }
    response = api_client(alice).post("/api/annotations/", body)
    assert response.status_code == 201, response.json()
    data = response.json()
    annotation = Annotation.objects.get()
    assert response["Location"] == f"/api/annotations/{annotation.pk}/"
    assert response["ETag"] == '"1"'
    assert data == {
        "id": annotation.pk,
        "article": article.pk,
        "annotator": "alice",
        "start": 57,
        "end": 80,
        "text": "12 milliards de dollars",
        "label": "claim",
        "claim_type": "quantity",
        "checkworthy": True,
        "verdict": "unchecked",
        "note": "Check the figure",
        "source_links": [
            {"source": "reuters", "name": "Reuters", "url": "https://www.reuters.com/x", "relation": "attributed"}
        ],
        "created_at": data["created_at"],
        "updated_at": data["updated_at"],
        "version": 1,
        "is_gold": False,
    }
    assert annotation.annotator == alice and annotation.note == "Check the figure"


def test_text_is_optional_and_filled_in_by_the_server(alice, article):
    response = api_client(alice).post(
        "/api/annotations/", {"article": article.pk, "label": "claim", "start": 0, "end": 5}
    )
    assert response.status_code == 201
    assert response.json()["text"] == "Selon"
    assert response.json()["source_links"] == []


def test_server_set_fields_sent_by_the_client_are_ignored(alice, bob, article):
    body = {"article": article.pk, "label": "claim", **CLAIM, "annotator": "bob", "is_gold": True, "id": 999}
    response = api_client(alice).post("/api/annotations/", body)
    assert response.status_code == 201
    annotation = Annotation.objects.get()
    assert (annotation.annotator, annotation.is_gold) == (alice, False)
    assert (response.json()["id"], response.json()["annotator"], response.json()["is_gold"]) == (
        annotation.pk,
        "alice",
        False,
    )


def test_a_representation_read_with_get_can_be_put_back_as_is(alice, make_annotation):
    annotation = make_annotation(alice)
    client = api_client(alice)
    data = client.get(f"/api/annotations/{annotation.pk}/").json()
    data["verdict"] = "false"
    response = client.put(f"/api/annotations/{annotation.pk}/", data)
    assert response.status_code == 200, response.json()
    assert response.json()["verdict"] == "false"
    assert response.json()["source_links"] == data["source_links"]
    assert response.json()["version"] == 2


def test_it_reads_one_annotation_with_its_etag(alice, make_annotation):
    annotation = make_annotation(alice)
    response = api_client(alice).get(f"/api/annotations/{annotation.pk}/")
    assert response.status_code == 200
    assert response["ETag"] == '"1"'
    assert response.json()["source_links"][0] == {
        "source": "reuters",
        "name": "Reuters",
        "url": None,
        "relation": "attributed",
    }


def test_patch_changes_only_what_it_sends(alice, make_annotation):
    annotation = make_annotation(alice, claim_type="quantity", note="keep me")
    response = api_client(alice).patch(f"/api/annotations/{annotation.pk}/", {"verdict": "mostly-true", "version": 1})
    assert response.status_code == 200
    data = response.json()
    assert (data["verdict"], data["claim_type"], data["note"], data["version"]) == (
        "mostly-true",
        "quantity",
        "keep me",
        2,
    )
    assert len(data["source_links"]) == 1
    assert response["ETag"] == '"2"'


def test_patch_moves_a_span_and_recomputes_its_text(alice, make_annotation):
    annotation = make_annotation(alice)
    response = api_client(alice).patch(f"/api/annotations/{annotation.pk}/", {"start": 15, "end": 21})
    assert response.status_code == 200
    assert response.json()["text"] == "OpenAI"


def test_patch_replaces_source_links_when_it_sends_them(alice, make_annotation, reuters):
    annotation = make_annotation(alice)
    client = api_client(alice)
    links = [
        {"source": "reuters", "relation": "supports"},
        {"source": "reuters", "url": "http://example.org/r", "relation": "context"},
    ]
    response = client.patch(f"/api/annotations/{annotation.pk}/", {"source_links": links})
    assert response.status_code == 200
    assert [(link["relation"], link["url"]) for link in response.json()["source_links"]] == [
        ("supports", None),
        ("context", "http://example.org/r"),
    ]
    assert client.patch(f"/api/annotations/{annotation.pk}/", {"source_links": []}).json()["source_links"] == []
    assert SourceLink.objects.count() == 0


def test_put_resets_what_it_leaves_out(alice, make_annotation):
    annotation = make_annotation(alice, claim_type="quantity", checkworthy=True, note="old", verdict="false")
    body = {"article": annotation.article_id, "start": 57, "end": 80, "label": "attribution"}
    response = api_client(alice).put(f"/api/annotations/{annotation.pk}/", body)
    assert response.status_code == 200
    data = response.json()
    assert (data["label"], data["claim_type"], data["checkworthy"], data["verdict"], data["note"]) == (
        "attribution",
        None,
        None,
        "unchecked",
        "",
    )
    assert data["source_links"] == []


def test_an_annotation_cannot_move_to_another_article(alice, make_annotation, article):
    annotation = make_annotation(alice)
    other = type(article).objects.create(
        external_id="other", title="Other", text="Another text entirely.", language="en"
    )
    response = api_client(alice).patch(f"/api/annotations/{annotation.pk}/", {"article": other.pk})
    assert response.status_code == 400
    assert "article" in response.json()
    annotation.refresh_from_db()
    assert annotation.article_id == article.pk and annotation.version == 1


def test_delete_hides_the_annotation_and_restore_brings_it_back(alice, make_annotation):
    annotation = make_annotation(alice)
    client = api_client(alice)
    assert client.delete(f"/api/annotations/{annotation.pk}/", {"version": 1}).status_code == 204
    assert client.get(f"/api/annotations/{annotation.pk}/").status_code == 404
    assert client.get("/api/annotations/").json()["count"] == 0
    restored = client.post(f"/api/annotations/{annotation.pk}/restore/")
    assert restored.status_code == 200
    assert restored.json()["version"] == 3
    assert restored.json()["source_links"][0]["source"] == "reuters"
    assert client.get("/api/annotations/").json()["count"] == 1


def test_delete_takes_no_other_fields(alice, make_annotation):
    annotation = make_annotation(alice)
    response = api_client(alice).delete(f"/api/annotations/{annotation.pk}/", {"version": 1, "start": 3})
    assert response.status_code == 400
    assert "start" in response.json()
    assert Annotation.objects.filter(pk=annotation.pk).exists()


def test_the_list_filters_by_article_label_and_annotator(alice, rita, make_annotation, article):
    other = type(article).objects.create(external_id="o", title="O", text="Selon Reuters encore.", language="fr")
    first = make_annotation(alice)
    second = make_annotation(alice, start=0, end=13, label="attribution")
    third = make_annotation(alice, target=other, start=0, end=5)
    make_annotation(rita, start=0, end=5)
    client = api_client(rita)

    def ids(query):
        response = client.get(f"/api/annotations/?{query}")
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    assert ids(f"article={other.pk}") == {third.pk}
    assert ids(f"label=attribution&article={article.pk}") == {second.pk}
    assert ids("annotator=alice") == {first.pk, second.pk, third.pk}
    assert ids("annotator=nobody") == set()
    bad = client.get("/api/annotations/?article=1.5")
    assert bad.status_code == 400 and "article" in bad.json()


def test_the_list_is_paginated(alice, make_annotation):
    for start in range(3):
        make_annotation(alice, start=start, end=start + 5)
    response = api_client(alice).get("/api/annotations/?page_size=2")
    data = response.json()
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["count"] == 3 and len(data["results"]) == 2 and data["next"] and data["previous"] is None
    assert [row["start"] for row in data["results"]] == [0, 1]


# ---------------------------------------------------------------- who may do what


def test_an_annotator_sees_only_their_own_annotations(alice, bob, make_annotation):
    mine = make_annotation(alice)
    make_annotation(bob)
    data = api_client(alice).get("/api/annotations/").json()
    assert [row["id"] for row in data["results"]] == [mine.pk]


@pytest.mark.parametrize("method", ["get", "patch", "put", "delete"])
def test_another_annotators_annotation_answers_404(method, alice, bob, make_annotation):
    theirs = make_annotation(bob)
    before = row_counts()
    body = {"article": theirs.article_id, "start": 0, "end": 5, "label": "claim", "version": 1}
    response = getattr(api_client(alice), method)(f"/api/annotations/{theirs.pk}/", body)
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert (theirs.version, theirs.start, theirs.deleted_at) == (1, 57, None)
    assert row_counts() == before


def test_an_outsider_cannot_restore_someone_elses_deleted_annotation(alice, bob, make_annotation):
    theirs = make_annotation(bob)
    api_client(bob).delete(f"/api/annotations/{theirs.pk}/")
    assert api_client(alice).post(f"/api/annotations/{theirs.pk}/restore/").status_code == 404
    assert Annotation.all_objects.get(pk=theirs.pk).deleted_at is not None


def test_a_reviewer_reads_everyones_annotations(alice, bob, rita, make_annotation):
    ids = {make_annotation(alice).pk, make_annotation(bob).pk}
    client = api_client(rita)
    assert {row["id"] for row in client.get("/api/annotations/").json()["results"]} == ids
    for pk in ids:
        assert client.get(f"/api/annotations/{pk}/").status_code == 200


@pytest.mark.parametrize("method", ["patch", "put", "delete"])
def test_a_reviewer_cannot_change_someone_elses_annotation(method, alice, rita, make_annotation):
    theirs = make_annotation(alice)
    body = {"article": theirs.article_id, "start": 0, "end": 5, "label": "claim"}
    response = getattr(api_client(rita), method)(f"/api/annotations/{theirs.pk}/", body)
    assert response.status_code == 403
    assert response.json() == {"detail": "You can only change your own annotations."}
    theirs.refresh_from_db()
    assert (theirs.version, theirs.start, theirs.deleted_at) == (1, 57, None)


def test_a_reviewer_cannot_restore_someone_elses_annotation(alice, rita, make_annotation):
    theirs = make_annotation(alice)
    api_client(alice).delete(f"/api/annotations/{theirs.pk}/")
    assert api_client(rita).post(f"/api/annotations/{theirs.pk}/restore/").status_code == 403
    assert Annotation.all_objects.get(pk=theirs.pk).deleted_at is not None


def test_a_reviewer_writes_their_own_annotations(rita, article):
    client = api_client(rita)
    created = client.post("/api/annotations/", {"article": article.pk, "label": "claim", **CLAIM})
    assert created.status_code == 201
    assert client.patch(f"/api/annotations/{created.json()['id']}/", {"verdict": "true"}).status_code == 200


def test_staff_can_change_delete_and_restore_anyones_annotation(alice, sam, make_annotation):
    theirs = make_annotation(alice)
    client = api_client(sam)
    response = client.patch(f"/api/annotations/{theirs.pk}/", {"verdict": "false"})
    assert response.status_code == 200
    assert response.json()["annotator"] == "alice"
    assert client.delete(f"/api/annotations/{theirs.pk}/").status_code == 204
    assert client.post(f"/api/annotations/{theirs.pk}/restore/").status_code == 200
    assert Annotation.objects.get(pk=theirs.pk).verdict.slug == "false"


def test_an_unknown_id_answers_404_as_json(alice):
    client = api_client(alice)
    for url in ("/api/annotations/999999/", "/api/annotations/abc/", "/api/annotations/99999999999999999999999/"):
        response = client.patch(url, {"verdict": "true"})
        assert response.status_code == 404, url
        assert "detail" in response.json()

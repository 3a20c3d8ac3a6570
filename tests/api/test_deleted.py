"""Deleted annotations: listing them with ``?deleted=1`` and restoring them."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils.dateparse import parse_datetime

from annotations import services
from annotations.models import Annotation
from tests.conftest import api_client

DELETED = "/api/annotations/?deleted=1"
EARLIER = datetime(2025, 11, 3, 9, 30, tzinfo=UTC)


def delete(annotation: Annotation, *, at: datetime | None = None) -> Annotation:
    services.annotation_delete(annotation=annotation)
    if at is not None:
        Annotation.all_objects.filter(pk=annotation.pk).update(deleted_at=at)
    return Annotation.all_objects.get(pk=annotation.pk)


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_an_annotator_lists_their_deleted_annotations_latest_deletion_first(alice, bob, make_annotation):
    older = delete(make_annotation(alice, start=0, end=5), at=EARLIER + timedelta(hours=1))
    newer = delete(make_annotation(alice, start=6, end=13), at=EARLIER + timedelta(hours=2))
    oldest = delete(make_annotation(alice, start=57, end=80), at=EARLIER)
    make_annotation(alice, start=14, end=20)  # live
    delete(make_annotation(bob))

    response = api_client(alice).get(DELETED)

    assert ids(response) == [newer.pk, older.pk, oldest.pk]
    first = response.json()["results"][0]
    assert parse_datetime(first["deleted_at"]) == newer.deleted_at
    assert (first["annotator"], first["text"], first["label"], first["version"]) == ("alice", "Reuters", "claim", 2)
    assert first["source_links"] == [{"source": "reuters", "name": "Reuters", "url": None, "relation": "attributed"}]


@pytest.mark.parametrize("query", ["", "?deleted=0", "?deleted="])
def test_without_deleted_1_the_list_shows_live_annotations_only_as_before(query, alice, make_annotation):
    live = make_annotation(alice, start=0, end=5)
    delete(make_annotation(alice))

    response = api_client(alice).get(f"/api/annotations/{query}")

    assert ids(response) == [live.pk]
    assert "deleted_at" not in response.json()["results"][0]


def test_another_annotator_sees_none_of_them_and_cannot_restore_one(alice, bob, make_annotation):
    gone = delete(make_annotation(alice))
    client = api_client(bob)

    assert client.get(DELETED).json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert ids(client.get(f"{DELETED}&annotator=alice")) == []
    response = client.post(f"/api/annotations/{gone.pk}/restore/")
    assert response.status_code == 404
    gone.refresh_from_db()
    assert gone.deleted_at is not None and gone.version == 2


def test_a_reviewer_lists_only_their_own_deleted_annotations(alice, rita, make_annotation):
    delete(make_annotation(alice))
    own = delete(make_annotation(rita, start=0, end=5))

    assert ids(api_client(rita).get(DELETED)) == [own.pk]
    assert ids(api_client(rita).get(f"{DELETED}&annotator=alice")) == []


def test_staff_list_and_restore_everyones_deleted_annotations(alice, bob, sam, make_annotation):
    alices = delete(make_annotation(alice), at=EARLIER)
    bobs = delete(make_annotation(bob), at=EARLIER + timedelta(minutes=1))
    client = api_client(sam)

    assert ids(client.get(DELETED)) == [bobs.pk, alices.pk]
    assert ids(client.get(f"{DELETED}&annotator=alice")) == [alices.pk]

    response = client.post(f"/api/annotations/{alices.pk}/restore/")
    assert response.status_code == 200
    assert (response.json()["id"], response.json()["annotator"]) == (alices.pk, "alice")
    assert ids(client.get(DELETED)) == [bobs.pk]
    assert Annotation.objects.get(pk=alices.pk).annotator == alice


def test_the_usual_filters_and_pagination_apply(alice, make_annotation, article):
    other = type(article).objects.create(external_id="o", title="O", text="Selon Reuters encore.", language="fr")
    claim = delete(make_annotation(alice), at=EARLIER + timedelta(minutes=3))
    attribution = delete(make_annotation(alice, start=0, end=13, label="attribution"), at=EARLIER)
    elsewhere = delete(make_annotation(alice, target=other, start=0, end=5), at=EARLIER + timedelta(minutes=2))
    client = api_client(alice)

    assert ids(client.get(f"{DELETED}&article={article.pk}")) == [claim.pk, attribution.pk]
    assert ids(client.get(f"{DELETED}&article={other.pk}")) == [elsewhere.pk]
    assert ids(client.get(f"{DELETED}&label=attribution")) == [attribution.pk]
    assert ids(client.get(f"{DELETED}&annotator=alice&label=claim")) == [claim.pk, elsewhere.pk]

    first = client.get(f"{DELETED}&page_size=2").json()
    assert first["count"] == 3 and [row["id"] for row in first["results"]] == [claim.pk, elsewhere.pk]
    assert first["next"] and "deleted=1" in first["next"]
    assert ids(client.get(f"{DELETED}&page_size=2&page=2")) == [attribution.pk]


@pytest.mark.parametrize("value", ["yes", "true", "2", "-1", "1.0", "x" * 300])
def test_an_invalid_deleted_value_answers_400_naming_it(value, alice, make_annotation):
    delete(make_annotation(alice))

    response = api_client(alice).get(f"/api/annotations/?deleted={value}")

    assert response.status_code == 400
    assert list(response.json()) == ["deleted"]


def test_restore_brings_it_back_to_the_list_and_bumps_the_version(alice, make_annotation):
    gone = delete(make_annotation(alice, note="à vérifier"))
    client = api_client(alice)

    response = client.post(f"/api/annotations/{gone.pk}/restore/")

    assert response.status_code == 200
    assert response["ETag"] == '"3"'
    restored = response.json()
    assert (restored["id"], restored["version"], restored["note"], restored["text"]) == (
        gone.pk,
        3,
        "à vérifier",
        "12 milliards de dollars",
    )
    assert restored["source_links"][0]["source"] == "reuters"
    assert ids(client.get("/api/annotations/")) == [gone.pk]
    assert ids(client.get(DELETED)) == []
    assert Annotation.objects.get(pk=gone.pk).version == 3


def test_restoring_a_live_annotation_changes_nothing(alice, make_annotation):
    live = make_annotation(alice)

    response = api_client(alice).post(f"/api/annotations/{live.pk}/restore/")

    assert response.status_code == 200 and response.json()["version"] == 1
    assert live.history.count() == 1


def test_the_history_records_the_delete_and_the_restore(alice, make_annotation):
    annotation = make_annotation(alice)
    client = api_client(alice)
    client.delete(f"/api/annotations/{annotation.pk}/", {"version": 1})

    client.post(f"/api/annotations/{annotation.pk}/restore/")

    records = list(annotation.history.order_by("history_id"))
    assert [(r.history_type, r.version, r.deleted_at is None) for r in records] == [
        ("+", 1, True),
        ("~", 2, False),
        ("~", 3, True),
    ]
    assert records[-1].history_user == alice

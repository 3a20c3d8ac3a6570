"""A project's settings act: allow_overlap refuses overlapping spans of one layer, suggestions
off empties the suggestions API (annotators_per_article: tests/review/test_assign.py)."""

import pytest
from django.core.exceptions import ValidationError

from annotations import services
from annotations.models import Annotation, Article
from tests.conftest import api_client
from tests.importing.helpers import jsonl, refused, run

pytestmark = pytest.mark.django_db

# "Selon Reuters, OpenAI a signé un accord. 🎉 …": "Selon Reuters" is [0, 13), "OpenAI …" is [15, 39).
OPENAI = {"start": 15, "end": 39, "label": "claim"}
INSIDE = {"start": 15, "end": 21, "label": "attribution"}  # "OpenAI", nested in the claim
ELSEWHERE = {"start": 0, "end": 13, "label": "attribution"}


@pytest.fixture
def no_overlap(seed_project):
    seed_project.allow_overlap = False
    seed_project.save()
    return seed_project


def _post(user, article, where):
    return api_client(user).post("/api/annotations/", {"article": article.pk, **where}, format="json")


def test_a_project_that_allows_overlap_keeps_nested_spans(article, alice):
    assert _post(alice, article, OPENAI).status_code == 201
    assert _post(alice, article, INSIDE).status_code == 201


def test_a_no_overlap_project_refuses_a_span_overlapping_the_annotators_own(no_overlap, article, alice):
    assert _post(alice, article, OPENAI).status_code == 201
    response = _post(alice, article, INSIDE)
    assert response.status_code == 400
    assert "overlaps the span [15, 39)" in response.json()["start"][0]
    assert Annotation.objects.filter(article=article).count() == 1
    assert _post(alice, article, ELSEWHERE).status_code == 201


def test_a_no_overlap_project_lets_another_annotator_and_gold_overlap(no_overlap, article, alice, bob, rita):
    services.annotation_create(article=article, annotator=alice, **OPENAI)
    assert _post(bob, article, INSIDE).status_code == 201
    services.annotation_create(article=article, annotator=rita, is_gold=True, **OPENAI)
    with pytest.raises(ValidationError) as caught:
        services.annotation_create(article=article, annotator=rita, is_gold=True, **INSIDE)
    assert "start" in caught.value.message_dict


def test_a_no_overlap_project_refuses_moving_a_span_onto_another(no_overlap, article, alice):
    services.annotation_create(article=article, annotator=alice, **OPENAI)
    other = services.annotation_create(article=article, annotator=alice, **ELSEWHERE)
    response = api_client(alice).patch(
        f"/api/annotations/{other.pk}/", {"start": 7, "end": 21, "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert "overlaps the span [15, 39)" in response.json()["start"][0]
    other.refresh_from_db()
    assert (other.start, other.end, other.version) == (0, 13, 1)
    # Moving a span over where it already was is not an overlap with itself.
    response = api_client(alice).patch(f"/api/annotations/{other.pk}/", {"start": 0, "end": 5, "version": 1})
    assert response.status_code == 200


def test_a_deleted_span_does_not_block_an_overlapping_one(no_overlap, article, alice):
    first = services.annotation_create(article=article, annotator=alice, **OPENAI)
    services.annotation_delete(annotation=first)
    assert _post(alice, article, INSIDE).status_code == 201


def _record(*spans):
    return {
        "external_id": "overlap",
        "text": "Selon Reuters, OpenAI a signé un accord.",
        "language": "fr",
        "spans": list(spans),
    }


def test_an_import_into_a_no_overlap_project_names_the_file_and_line_of_an_overlap(no_overlap, alice, tmp_path):
    path = jsonl(tmp_path / "spans.jsonl", _record(ELSEWHERE), _record(OPENAI, INSIDE) | {"external_id": "b"})
    message = refused(path, "--annotator", "alice")
    assert f"{path}:2:" in message
    assert "overlaps the span [15, 39)" in message
    assert not Article.objects.filter(external_id__in=["overlap", "b"]).exists()


def test_a_reimport_into_a_no_overlap_project_refuses_a_span_overlapping_a_stored_one(no_overlap, alice, tmp_path):
    run(jsonl(tmp_path / "first.jsonl", _record(OPENAI)), "--annotator", "alice")
    again = jsonl(tmp_path / "again.jsonl", _record(OPENAI, INSIDE))
    message = refused(again, "--annotator", "alice")
    assert f"{again}:1:" in message and "overlaps the span [15, 39)" in message
    assert Annotation.objects.filter(article__external_id="overlap").count() == 1


def test_an_import_into_a_project_that_allows_overlap_keeps_nested_spans(alice, tmp_path):
    run(jsonl(tmp_path / "spans.jsonl", _record(OPENAI, INSIDE)), "--annotator", "alice")
    assert Annotation.objects.filter(article__external_id="overlap").count() == 2


def test_suggestions_off_answers_an_empty_list(seeds, seed_project, alice):
    article = Article.objects.get(external_id="001_1332d41e4d87d38b")
    url = f"/api/articles/{article.pk}/suggestions/"
    assert api_client(alice).get(url).json()["suggestions"]
    seed_project.suggestions = False
    seed_project.save()
    response = api_client(alice).get(url)
    assert response.status_code == 200
    assert response.json() == {"suggestions": []}


def _waiting_for_a_lock(seconds: float = 10.0) -> bool:
    """Whether another session of this PostgreSQL database waits for a lock (within ``seconds``)."""
    import time

    from django.db import connection

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return True
        time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
def test_two_writers_of_overlapping_spans_at_once_take_turns(no_overlap, article, alice):
    """The first writer holds its transaction open; the second, meanwhile, must wait for it
    and then see its span, not slip an overlapping one in beside it."""
    import threading

    from django.db import connection, connections, transaction

    first_written, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                services.annotation_create(article=article, annotator=alice, **OPENAI)
                first_written.set()
                release.wait(30)
        finally:
            connections.close_all()

    def second() -> None:
        try:
            services.annotation_create(article=article, annotator=alice, **INSIDE)
            outcome["second"] = "created"
        except ValidationError as exc:
            outcome["second"] = exc.message_dict
        finally:
            connections.close_all()

    one = threading.Thread(target=first)
    one.start()
    assert first_written.wait(30)
    two = threading.Thread(target=second)
    two.start()
    # PostgreSQL: the second writer waits on the article's row lock while the first is open.
    # SQLite: its BEGIN IMMEDIATE waits for the first's commit, by the database's own design.
    blocked = connection.vendor != "postgresql" or _waiting_for_a_lock()
    release.set()
    one.join(30)
    two.join(30)
    assert blocked, "the second writer did not wait for the first"
    assert "overlaps the span [15, 39)" in outcome["second"]["start"][0]
    assert Annotation.objects.filter(article=article).count() == 1

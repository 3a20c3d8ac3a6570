"""List endpoints run a fixed number of queries, however many rows a page holds."""

import pytest
from django.utils import timezone

from annotations.models import Annotation, Article, Source
from tests.conftest import api_client


@pytest.fixture
def many_sources(reuters):
    def make(count):
        Source.objects.bulk_create(
            Source(slug=f"s{i}", name=f"Source {i}", aliases=[f"alias {i}"]) for i in range(count)
        )

    return make


def add_annotations(make_annotation, user, count):
    for start in range(count):
        make_annotation(
            user,
            start=start,
            end=start + 5,
            claim_type="quantity",
            links=[
                {"source": "reuters"},
                {"source": "reuters", "url": "https://www.reuters.com/a", "relation": "supports"},
            ],
        )


@pytest.mark.parametrize("count", [3, 30])
def test_the_annotation_list_runs_four_queries(alice, make_annotation, django_assert_num_queries, count):
    add_annotations(make_annotation, alice, count)
    client = api_client(alice)
    # 1. is alice a reviewer (her groups)  2. COUNT for the paginator
    # 3. the page of annotations joined with annotator, label, claim type and verdict
    # 4. their source links joined with their sources (one prefetch)
    with django_assert_num_queries(4):
        response = client.get("/api/annotations/")
    assert response.json()["count"] == count
    assert all(len(row["source_links"]) == 2 for row in response.json()["results"])


@pytest.mark.parametrize("count", [3, 30])
def test_a_reviewers_annotation_list_runs_four_queries_for_everyones_spans(
    alice, bob, rita, make_annotation, django_assert_num_queries, count
):
    add_annotations(make_annotation, alice, count)
    add_annotations(make_annotation, bob, count)
    client = api_client(rita)
    # 1. rita's groups (reviewer)  2. COUNT  3. annotations with their joins  4. links with sources
    with django_assert_num_queries(4):
        response = client.get("/api/annotations/?page_size=100")
    assert {row["annotator"] for row in response.json()["results"]} == {"alice", "bob"}
    assert len(response.json()["results"]) == 2 * count


@pytest.mark.parametrize("count", [3, 30])
@pytest.mark.parametrize("caller", ["alice", "sam"])
def test_the_deleted_annotation_list_runs_three_queries(
    request, alice, bob, sam, make_annotation, django_assert_num_queries, caller, count
):
    add_annotations(make_annotation, alice, count)
    add_annotations(make_annotation, bob, count)
    Annotation.objects.update(deleted_at=timezone.now())
    client = api_client(request.getfixturevalue(caller))
    # 1. COUNT  2. the page of deleted annotations with their joins  3. links with sources
    # (no groups query: deleted spans are listed by owned_by, which needs no reviewer check)
    with django_assert_num_queries(3):
        response = client.get("/api/annotations/?deleted=1&page_size=100")
    assert response.json()["count"] == (count if caller == "alice" else 2 * count)
    assert all(row["deleted_at"] and len(row["source_links"]) == 2 for row in response.json()["results"])


@pytest.mark.parametrize("count", [3, 30])
def test_the_article_list_runs_two_queries(alice, django_assert_num_queries, count):
    Article.objects.bulk_create(
        Article(external_id=f"a{i}", title=f"Article {i}", text="Texte. " * 50, language="fr", text_sha256="-")
        for i in range(count)
    )
    client = api_client(alice)
    # 1. COUNT  2. the page of articles (without their text)
    with django_assert_num_queries(2) as captured:
        response = client.get("/api/articles/")
    assert response.json()["count"] == count
    assert '"text"' not in captured.captured_queries[1]["sql"].replace('"text_sha256"', "")


@pytest.mark.parametrize("count", [3, 30])
def test_the_source_list_runs_two_queries(alice, many_sources, django_assert_num_queries, count):
    many_sources(count)
    client = api_client(alice)
    Source.objects.update(created_by=alice)
    # 1. COUNT  2. the page of sources joined with their creators
    with django_assert_num_queries(2):
        response = client.get("/api/sources/?q=source")
    assert response.json()["count"] == count
    assert {row["created_by"] for row in response.json()["results"]} == {"alice"}


def test_an_edit_reads_the_span_once_before_the_service_locks_it(alice, make_annotation, django_assert_num_queries):
    annotation = make_annotation(alice)
    client = api_client(alice)
    # 1. the span among alice's, in her projects (owned_by: the reviewer-group test is a subquery
    #    of this read, not a query of its own; no relations: nothing renders it)
    # 2. SAVEPOINT  3. the service's locked re-read, its article joined in  4. UPDATE  5. history
    # 6. RELEASE SAVEPOINT  7.-8. the response's re-read with its joins and links
    with django_assert_num_queries(8) as captured:
        response = client.patch(f"/api/annotations/{annotation.pk}/", {"note": "checked"}, format="json")
    assert response.status_code == 200 and response.json()["note"] == "checked"
    main_tables = [query["sql"].split(" FROM ", 1)[-1].split(" ", 1)[0] for query in captured.captured_queries]
    assert not any(table.strip('"').startswith("auth_") for table in main_tables)

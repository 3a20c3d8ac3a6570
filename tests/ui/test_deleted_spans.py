"""The annotate page embeds my deleted spans on the article for its "Deleted spans" section."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils.dateparse import parse_datetime

from annotations import services
from annotations.models import Annotation
from annotations.views import DELETED_SHOWN
from tests.ui.conftest import page_data

EARLIER = datetime(2025, 11, 3, 9, 30, tzinfo=UTC)


def url(article):
    return reverse("article-annotate", args=[article.pk])


def delete(annotation, *, at=None):
    services.annotation_delete(annotation=annotation)
    if at is not None:
        Annotation.all_objects.filter(pk=annotation.pk).update(deleted_at=at)
    return Annotation.all_objects.get(pk=annotation.pk)


def test_it_embeds_my_deleted_spans_on_this_article_latest_first(client, alice, bob, sam, make_article, span):
    article = make_article()
    other = make_article()
    older = delete(span(article, alice, start=0, end=5), at=EARLIER)
    newer = delete(span(article, alice, start=6, end=13, label="attribution"), at=EARLIER + timedelta(hours=1))
    span(article, alice, start=14, end=20)  # live
    delete(span(other, alice))  # another article
    delete(span(article, bob))  # someone else's
    delete(span(article, sam))  # staff's own are theirs only
    client.force_login(alice)

    data = page_data(client.get(url(article)))

    assert [item["id"] for item in data["deleted"]] == [newer.pk, older.pk]
    assert data["deleted"][0] == {
        "id": newer.pk,
        "start": 6,
        "end": 13,
        "text": "Reuters",
        "label": "attribution",
        "deleted_at": data["deleted"][0]["deleted_at"],
    }
    assert parse_datetime(data["deleted"][0]["deleted_at"]) == newer.deleted_at
    assert data["moreDeleted"] is False
    assert [item["start"] for item in data["annotations"]] == [14]


def test_staff_and_reviewers_see_only_their_own_deleted_spans_here(client, alice, rita, sam, make_article, span):
    article = make_article()
    delete(span(article, alice))
    own = delete(span(article, rita))
    client.force_login(sam)
    assert page_data(client.get(url(article)))["deleted"] == []
    client.force_login(rita)
    assert [item["id"] for item in page_data(client.get(url(article)))["deleted"]] == [own.pk]


def test_it_embeds_the_latest_deleted_spans_and_says_when_there_are_more(client, alice, make_article, span):
    article = make_article(text="x" * (DELETED_SHOWN + 10))
    for n in range(DELETED_SHOWN + 1):
        delete(span(article, alice, start=n, end=n + 1), at=EARLIER + timedelta(minutes=n))
    client.force_login(alice)

    data = page_data(client.get(url(article)))

    assert len(data["deleted"]) == DELETED_SHOWN and data["moreDeleted"] is True
    assert [item["start"] for item in data["deleted"][:2]] == [DELETED_SHOWN, DELETED_SHOWN - 1]


def test_the_page_has_a_collapsed_deleted_spans_section(client, alice, make_article):
    article = make_article()
    client.force_login(alice)

    html = client.get(url(article)).content.decode()

    assert '<details class="deleted-spans" data-deleted>' in html  # not open
    assert "Deleted spans" in html


@pytest.mark.parametrize("deleted", [1, 12])
def test_deleted_spans_add_no_query_per_span(client, alice, make_article, span, deleted, django_assert_num_queries):
    article = make_article(text="x" * 100)
    for n in range(deleted):
        delete(span(article, alice, start=n, end=n + 5))
    client.force_login(alice)
    # as in test_annotate_page: session, user, article, groups, deleted spans, assigned?,
    # previous and next article, spans, links, labels, claim types, verdicts, done, the
    # header's memberships
    with django_assert_num_queries(15):
        response = client.get(url(article))
    assert len(page_data(response)["deleted"]) == deleted

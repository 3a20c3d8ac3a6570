"""The staff progress page: who has which article and how far they got."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import Article, Assignment, Completion
from annotations.review.workflow import progress
from annotations.services import annotation_delete

pytestmark = pytest.mark.django_db


def make_article(i: int, language: str = "fr") -> Article:
    return Article.objects.create(external_id=f"p{i}", title=f"Article {i}", text="Un deux trois.", language=language)


@pytest.fixture
def board(vocabulary, alice, bob, carol, rita, mark):
    a1, a2, a3, a4 = (make_article(i) for i in range(1, 5))
    for article in (a1, a2, a3):
        Assignment.objects.create(article=article, annotator=alice)
    Assignment.objects.create(article=a1, annotator=bob)
    mark(a2, alice, 0, 2)  # alice: a1 not started, a2 in progress, a3 done
    mark(a3, alice, 0, 2)
    Completion.objects.create(article=a3, annotator=alice)
    mark(a1, bob, 0, 2)  # bob: a1 in progress (two spans, one of them deleted)
    annotation_delete(annotation=mark(a1, bob, 3, 7))
    mark(a4, carol, 0, 2)  # unassigned work still shows
    mark(a1, rita, 0, 2, is_gold=True)  # gold spans are not annotation work
    return a1, a2, a3, a4


def test_it_counts_each_annotators_articles_by_state(board):
    people, _ = progress()
    table = {p.username: (p.not_started, p.in_progress, p.done, p.total, p.spans) for p in people}
    assert table == {
        "alice": (1, 1, 1, 3, 2),
        "bob": (0, 1, 0, 1, 1),
        "carol": (0, 1, 0, 1, 1),
    }


def test_it_shows_each_articles_annotators_and_their_state(board):
    a1, a2, a3, a4 = board
    _, articles = progress()
    rows = {a.id: (a.annotators, a.not_started, a.in_progress, a.done) for a in articles}
    assert rows == {
        a1.id: ([("alice", "not-started", 0), ("bob", "in-progress", 1)], 1, 1, 0),
        a2.id: ([("alice", "in-progress", 1)], 0, 1, 0),
        a3.id: ([("alice", "done", 1)], 0, 0, 1),
        a4.id: ([("carol", "in-progress", 1)], 0, 1, 0),
    }


def test_a_language_filter_narrows_both_tables(board, alice):
    other = make_article(9, language="ar")
    Assignment.objects.create(article=other, annotator=alice)
    people, articles = progress(language="ar")
    assert [a.id for a in articles] == [other.id]
    assert [(p.username, p.not_started, p.total) for p in people] == [("alice", 1, 1)]


def page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/review/progress/")
    assert response.status_code == 200
    return len(queries)


def test_the_page_shows_the_figures(client, board, sam):
    a1, *_ = board
    client.force_login(sam)
    html = client.get("/review/progress/").content.decode()
    assert '<tr data-annotator="alice">' in html
    assert f'<tr data-article="{a1.id}">' in html
    assert "bob · in-progress · 1" in html


def test_the_page_makes_the_same_number_of_queries_whatever_the_corpus_size(client, board, sam, mark):
    client.force_login(sam)
    # session, user, then articles, assignments, completions and span counts
    small = page_queries(client)
    assert small == 6
    for i in range(10, 20):
        article = make_article(i)
        person = User.objects.create_user(f"extra{i}")
        Assignment.objects.create(article=article, annotator=person)
        mark(article, person, 0, 2)
        Completion.objects.create(article=article, annotator=person)
    assert page_queries(client) == small

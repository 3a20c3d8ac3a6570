import pytest
from django.urls import reverse

from annotations import services
from annotations.models import Assignment, Completion


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


def rows(response):
    return [(a.title, a.status) for a in response.context["page"]]


def test_it_sends_anonymous_visitors_to_the_login_page(client, db):
    response = client.get("/articles/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/articles/"


def test_it_lists_title_language_publisher_and_my_numbers(alice_client, alice, bob, make_article, span):
    article = make_article(title="Selon Reuters", language="fr", publisher="Le Test")
    span(article, alice)
    span(article, alice, start=15, end=20)
    span(article, bob)  # bob's span is not alice's work
    deleted = span(article, alice, start=0, end=5)
    services.annotation_delete(annotation=deleted)

    response = alice_client.get("/articles/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "Selon Reuters" in html
    assert "Le Test" in html
    assert '<span class="lang-tag">fr</span>' in html
    assert f'href="{reverse("article-annotate", args=[article.pk])}"' in html
    [listed] = response.context["page"]
    assert listed.my_annotations == 2
    assert listed.status == "in-progress"


def test_it_shows_not_started_in_progress_and_done(alice_client, alice, bob, make_article, span):
    untouched = make_article(title="Untouched")
    started = make_article(title="Started")
    finished = make_article(title="Finished")
    span(started, alice)
    Completion.objects.create(article=finished, annotator=alice)
    Completion.objects.create(article=untouched, annotator=bob)  # bob's completion is not mine

    response = alice_client.get("/articles/")

    assert rows(response) == [("Untouched", "not-started"), ("Started", "in-progress"), ("Finished", "done")]
    html = response.content.decode()
    assert "Not started" in html and "In progress" in html and "Done" in html


@pytest.mark.parametrize(
    ("status", "expected"),
    [("not-started", ["Untouched"]), ("in-progress", ["Started"]), ("done", ["Finished"]), ("", None)],
)
def test_it_filters_by_my_status(alice_client, alice, make_article, span, status, expected):
    make_article(title="Untouched")
    started = make_article(title="Started")
    finished = make_article(title="Finished")
    span(started, alice)
    span(finished, alice)
    Completion.objects.create(article=finished, annotator=alice)

    response = alice_client.get("/articles/", {"status": status})

    titles = [title for title, _ in rows(response)]
    assert titles == (expected if expected is not None else ["Untouched", "Started", "Finished"])


def test_it_filters_by_language_and_offers_the_languages_present(alice_client, make_article):
    make_article(title="Indonesian", language="id")
    make_article(title="Arabic", language="ar")
    make_article(title="Unknown", language="und")

    response = alice_client.get("/articles/", {"language": "ar"})

    assert [title for title, _ in rows(response)] == ["Arabic"]
    assert response.context["languages"] == [("ar", "Arabic (ar)"), ("id", "Indonesian (id)"), ("und", "und")]
    assert '<option value="ar" selected>Arabic (ar)</option>' in response.content.decode()


def test_it_searches_titles_case_insensitively(alice_client, make_article):
    make_article(title="OpenAI dan Foxconn Bermitra")
    make_article(title="Selon Reuters")

    response = alice_client.get("/articles/", {"q": "foxconn"})

    assert [title for title, _ in rows(response)] == ["OpenAI dan Foxconn Bermitra"]
    assert 'value="foxconn"' in response.content.decode()


def test_it_lists_articles_assigned_to_me_first(alice_client, alice, bob, make_article):
    make_article(title="First")
    mine = make_article(title="Assigned to me")
    bobs = make_article(title="Assigned to bob")
    Assignment.objects.create(article=mine, annotator=alice)
    Assignment.objects.create(article=bobs, annotator=bob)

    response = alice_client.get("/articles/")

    assert [title for title, _ in rows(response)] == ["Assigned to me", "First", "Assigned to bob"]
    assert response.content.decode().count("Assigned to you") == 1


def test_it_paginates_and_keeps_the_filters_in_page_links(alice_client, make_article):
    for n in range(30):
        make_article(title=f"Item {n:02}", language="id")
    make_article(title="Other", language="fr")

    first = alice_client.get("/articles/", {"language": "id"})
    second = alice_client.get("/articles/", {"language": "id", "page": 2})

    assert len(first.context["page"]) == 25
    assert "Page 1 of 2" in first.content.decode()
    assert 'href="?language=id&amp;page=2"' in first.content.decode()
    assert [title for title, _ in rows(second)] == [f"Item {n:02}" for n in range(25, 30)]
    # A page past the end shows the last page rather than an error.
    assert alice_client.get("/articles/", {"page": 99}).context["page"].number == 2


def test_it_escapes_titles(alice_client, make_article):
    make_article(title="<script>window.__xss=1</script>")

    html = alice_client.get("/articles/").content.decode()

    assert "<script>window.__xss" not in html
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;" in html


def test_it_runs_the_same_number_of_queries_for_3_or_30_articles(
    alice_client, alice, bob, make_article, span, django_assert_num_queries
):
    def add(count):
        for _ in range(count):
            article = make_article()
            span(article, alice)
            span(article, bob)
            Completion.objects.create(article=article, annotator=alice)
            Assignment.objects.create(article=article, annotator=alice)

    add(3)
    # session, user, count, the page of articles with my counts/done/assigned, the languages,
    # the header's reviewer check (alice's groups, then her memberships)
    with django_assert_num_queries(7):
        response = alice_client.get("/articles/")
    assert len(response.context["page"]) == 3
    add(27)
    with django_assert_num_queries(7):
        response = alice_client.get("/articles/", {"status": "done", "q": "Article"})
    assert len(response.context["page"]) == 25

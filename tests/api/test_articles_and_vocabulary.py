"""Articles (read-only) and the vocabulary lists the annotator's UI loads."""

from annotations.models import Article
from tests.conftest import api_client


def test_it_lists_articles_without_their_text(alice, article):
    response = api_client(alice).get("/api/articles/")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["results"] == [
        {
            "id": article.pk,
            "project": "seed",
            "external_id": "test-article",
            "title": "Selon Reuters",
            "language": "fr",
            "direction": "ltr",
            "publisher": "Test",
            "author": "",
            "published_at": None,
            "url": None,
            "text_sha256": article.text_sha256,
        }
    ]


def test_it_reads_one_article_with_text_and_metadata(alice, article):
    response = api_client(alice).get(f"/api/articles/{article.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["text"] == article.text
    assert data["metadata"] == {}
    assert data["direction"] == "ltr"
    assert api_client(alice).get("/api/articles/999999/").status_code == 404


def test_it_filters_articles_by_language_and_searches_title_and_text(alice, article):
    arabic = Article.objects.create(
        external_id="ar-1", title="خبر", text="قالت رويترز إن الأسعار ارتفعت.", language="ar"
    )
    client = api_client(alice)

    def ids(query):
        response = client.get(f"/api/articles/?{query}")
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    assert ids("language=ar") == [arabic.pk]
    assert ids("language=fr") == [article.pk]
    assert ids("q=reuters") == [article.pk]  # in the title, any case
    assert ids("q=milliards") == [article.pk]  # in the text
    assert ids("q=رويترز") == [arabic.pk]
    assert ids("q=nothing-like-this") == []
    assert client.get(f"/api/articles/{arabic.pk}/").json()["direction"] == "rtl"


def test_articles_are_read_only(alice, sam, article):
    for user in (alice, sam):
        client = api_client(user)
        assert client.post("/api/articles/", {"title": "x"}).status_code == 405
        assert client.patch(f"/api/articles/{article.pk}/", {"title": "x"}).status_code == 405
        assert client.delete(f"/api/articles/{article.pk}/").status_code == 405
    assert Article.objects.get(pk=article.pk).title == "Selon Reuters"


def test_it_lists_labels_with_colours_and_shortcuts(alice):
    results = api_client(alice).get("/api/labels/").json()["results"]
    assert [(row["slug"], row["shortcut"]) for row in results] == [("claim", "c"), ("attribution", "a")]
    assert results[0]["color"] == "#ffd54f"
    assert api_client(alice).get("/api/labels/claim/").json()["name"] == "Claim"


def test_it_lists_claim_types_and_verdicts(alice):
    client = api_client(alice)
    claim_types = [row["slug"] for row in client.get("/api/claim-types/").json()["results"]]
    assert claim_types == ["quantity", "prediction", "causation", "laws-rules", "personal-experience", "event", "other"]
    verdicts = client.get("/api/verdicts/").json()["results"]
    assert verdicts[0]["slug"] == "unchecked"
    assert {row["slug"] for row in verdicts} >= {
        "true",
        "mostly-true",
        "mixed",
        "mostly-false",
        "false",
        "unverifiable",
    }
    # Only a project's managers add to its vocabulary (tests/projects/test_api.py).
    label = {"project": "seed", "slug": "x", "name": "X"}
    assert client.post("/api/labels/", label, format="json").status_code == 403

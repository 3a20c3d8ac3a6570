from django.test import Client
from django.urls import reverse

from annotations.models import Completion


def done_url(article):
    return reverse("article-done", args=[article.pk])


def test_it_marks_the_article_done_and_back(client, alice, make_article):
    article = make_article()
    client.force_login(alice)

    response = client.post(done_url(article), {"done": "1"})
    assert response.status_code == 302
    assert response["Location"] == reverse("article-annotate", args=[article.pk])
    assert Completion.objects.filter(article=article, annotator=alice).count() == 1

    client.post(done_url(article), {"done": "1"})  # twice is still once
    assert Completion.objects.filter(article=article, annotator=alice).count() == 1

    client.post(done_url(article), {"done": "0"})
    assert not Completion.objects.filter(article=article, annotator=alice).exists()


def test_taking_it_back_leaves_other_annotators_alone(client, alice, bob, make_article):
    article = make_article()
    Completion.objects.create(article=article, annotator=bob)
    client.force_login(alice)

    client.post(done_url(article), {"done": "0"})

    assert Completion.objects.filter(article=article, annotator=bob).exists()


def test_it_answers_json_to_the_page_script(client, alice, make_article):
    article = make_article()
    client.force_login(alice)

    response = client.post(done_url(article), {"done": "1"}, headers={"Accept": "application/json"})

    assert response.status_code == 200
    assert response.json() == {"done": True}


def test_it_needs_the_csrf_token(alice, make_article):
    article = make_article()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)

    refused = browser.post(done_url(article), {"done": "1"})
    assert refused.status_code == 403
    assert not Completion.objects.exists()

    browser.get(reverse("article-annotate", args=[article.pk]))  # sets the csrftoken cookie
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(done_url(article), {"done": "1", "csrfmiddlewaretoken": token})
    assert accepted.status_code == 302
    assert Completion.objects.filter(article=article, annotator=alice).exists()


def test_it_refuses_get(client, alice, make_article):
    article = make_article()
    client.force_login(alice)
    assert client.get(done_url(article)).status_code == 405
    assert not Completion.objects.exists()


def test_it_needs_a_login(client, make_article):
    article = make_article()
    response = client.post(done_url(article), {"done": "1"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Completion.objects.exists()


def test_it_answers_404_for_an_unknown_article(client, alice):
    client.force_login(alice)
    assert client.post("/articles/999999/done/", {"done": "1"}).status_code == 404

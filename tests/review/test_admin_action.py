"""The "Assign to annotators…" admin action on articles (annotations.review.assign_to_annotators)."""

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from annotations.models import Article, Assignment
from annotations.review.workflow import assign_to_annotators

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(vocabulary):
    return [
        Article.objects.create(external_id=f"adm{i}", title=f"Titre {i}", text="Du texte.", language="fr")
        for i in range(3)
    ]


def post(user, data):
    request = RequestFactory().post("/admin/annotations/article/", data)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_it_first_asks_how_many_annotators_and_whom(articles, alice, bob, carol, sam):
    modeladmin = admin.ModelAdmin(Article, admin.site)
    request = post(sam, {"action": "assign_to_annotators", "_selected_action": [a.pk for a in articles]})
    response = assign_to_annotators(modeladmin, request, Article.objects.all())
    html = response.render().content.decode()
    assert "Titre 0" in html and "Titre 2" in html
    assert 'name="per_article"' in html
    # the annotator group is ticked by default
    for user in (alice, bob, carol):
        assert f'value="{user.pk}" id="id_annotators_' in html
    assert html.count("checked") == 3
    assert not Assignment.objects.exists()


def test_applying_it_assigns_the_selected_articles(articles, alice, bob, carol, sam):
    modeladmin = admin.ModelAdmin(Article, admin.site)
    data = {"apply": "1", "per_article": "2", "annotators": [alice.pk, bob.pk, carol.pk]}
    request = post(sam, data)
    assert (
        assign_to_annotators(modeladmin, request, Article.objects.filter(pk__in=[a.pk for a in articles[:2]])) is None
    )
    assert Assignment.objects.count() == 4
    assert set(Assignment.objects.values_list("assigned_by__username", flat=True)) == {"sam"}
    (message,) = [str(m) for m in get_messages(request)]
    assert message.startswith("Created 4 assignment(s).")


def test_it_refuses_more_annotators_per_article_than_chosen(articles, alice, sam):
    modeladmin = admin.ModelAdmin(Article, admin.site)
    request = post(sam, {"apply": "1", "per_article": "2", "annotators": [alice.pk]})
    response = assign_to_annotators(modeladmin, request, Article.objects.all())
    assert "only 1 chosen" in response.render().content.decode()
    assert not Assignment.objects.exists()

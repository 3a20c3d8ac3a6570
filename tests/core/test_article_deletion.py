"""An annotated article cannot be deleted (admin page, admin bulk action or code): its spans,
deleted and gold ones included, and their history stay, and so does the text lock."""

import pytest
from django.contrib.auth.models import Permission
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse

from annotations.models import Annotation, Article
from annotations.services import annotation_create, annotation_delete

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(sam) -> Client:
    sam.user_permissions.add(*Permission.objects.filter(content_type__app_label="annotations"))
    client = Client()
    client.force_login(sam)
    return client


@pytest.fixture
def annotated(article, alice, rita) -> Article:
    annotation_create(article=article, annotator=alice, start=0, end=5, label="attribution")
    gone = annotation_create(article=article, annotator=alice, start=6, end=13, label="attribution")
    annotation_delete(annotation=gone)
    annotation_create(article=article, annotator=rita, start=15, end=40, label="claim", is_gold=True)
    return article


@pytest.fixture
def blank(vocabulary) -> Article:
    return Article.objects.create(external_id="blank", title="No spans yet", text="Nothing here.", language="en")


def _kept(article: Article, spans: int = 3) -> None:
    article.refresh_from_db()
    assert Annotation.all_objects.filter(article=article).count() == spans
    assert Annotation.history.filter(article_id=article.pk).count() >= spans


def test_the_admin_refuses_to_delete_an_annotated_article_and_says_why(client, annotated):
    url = reverse("admin:annotations_article_delete", args=[annotated.pk])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Cannot delete" in text
    assert "has 3 span(s), 1 of them deleted and 1 gold: an annotated article cannot be deleted" in text

    answer = client.post(url, {"post": "yes"})
    assert answer.status_code == 200  # the same page again, nothing deleted
    assert "an annotated article cannot be deleted" in answer.content.decode()
    _kept(annotated)


def test_the_admin_bulk_delete_deletes_nothing_when_one_article_is_annotated(client, annotated, blank):
    answer = client.post(
        reverse("admin:annotations_article_changelist"),
        {"action": "delete_selected", "_selected_action": [annotated.pk, blank.pk], "post": "yes"},
    )
    assert answer.status_code == 200
    assert "an annotated article cannot be deleted" in answer.content.decode()
    assert Article.objects.filter(pk__in=[annotated.pk, blank.pk]).count() == 2
    _kept(annotated)


def test_an_article_without_spans_can_still_be_deleted(client, blank):
    answer = client.post(reverse("admin:annotations_article_delete", args=[blank.pk]), {"post": "yes"})
    assert answer.status_code == 302
    assert not Article.objects.filter(pk=blank.pk).exists()


def test_deleting_an_annotated_article_in_code_raises_and_keeps_every_span(annotated):
    with pytest.raises(ProtectedError):
        annotated.delete()
    _kept(annotated)

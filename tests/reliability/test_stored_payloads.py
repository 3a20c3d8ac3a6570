"""Stored hostile text renders as text on every page: escaped, never as markup."""

import html

import pytest
from django.test import Client

from annotations import services
from annotations.models import Article, Label, Source

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
# Markup that bleach leaves in a note as plain text (it strips real tags).
NOTE = "a < b && c > d <scr<script>ipt>"
RAW_MARKERS = ["<script>alert", "<img src=x onerror", "<scr<script>"]


@pytest.fixture
def hostile(alice, sam, rita, vocabulary):
    article = Article.objects.create(
        external_id="xss",
        title=f"Title {PAYLOAD}",
        text=f"Body {PAYLOAD} end.",
        language="fr",
        publisher=f"Publisher {PAYLOAD}",
        author=f"Author {PAYLOAD}",
        metadata={"note": PAYLOAD},
    )
    source = Source.objects.create(slug="evil", name=f"Source {PAYLOAD}", aliases=[f"Alias {PAYLOAD}"])
    Label.objects.create(slug="evil-label", name=f"Label {PAYLOAD}", order=99)
    span = services.annotation_create(
        article=article,
        annotator=alice,
        start=5,
        end=5 + len(PAYLOAD),
        label="claim",
        note=NOTE,
        source_links=[{"source": source.slug, "url": "https://example.org/?q=%3Cscript%3E", "relation": "supports"}],
    )
    return {"article": article, "source": source, "span": span}


def _pages(hostile) -> list[tuple[str, str]]:
    a, s, span = hostile["article"], hostile["source"], hostile["span"]
    return [
        ("alice", "/projects/seed/"),
        ("alice", "/articles/"),
        ("alice", f"/articles/{a.pk}/"),
        ("sam", f"/articles/{a.pk}/"),
        ("rita", "/review/"),
        ("rita", f"/review/articles/{a.pk}/"),
        ("sam", "/review/progress/"),
        ("rita", f"/review/agreement/?article={a.pk}"),
        ("root", "/admin/annotations/article/"),
        ("root", f"/admin/annotations/article/{a.pk}/change/"),
        ("root", "/admin/annotations/source/"),
        ("root", f"/admin/annotations/source/{s.pk}/change/"),
        ("root", "/admin/annotations/annotation/"),
        ("root", f"/admin/annotations/annotation/{span.pk}/change/"),
        ("root", "/admin/annotations/label/"),
    ]


@pytest.mark.django_db
def test_every_page_renders_stored_payloads_as_text(hostile, alice, sam, rita, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.org", "root-password")
    users = {"alice": alice, "sam": sam, "rita": rita, "root": root}
    escaped = html.escape(PAYLOAD)
    for who, path in _pages(hostile):
        client = Client()
        client.force_login(users[who])
        response = client.get(path)
        assert response.status_code == 200, (who, path, response.status_code)
        body = response.content.decode()
        for marker in RAW_MARKERS:
            assert marker not in body, (who, path, marker)
        # The payload is on the page, escaped: HTML-escaped, or as json_script's \\u003C escapes.
        assert escaped in body or "\\u003Cscript\\u003Ealert" in body, (who, path)


@pytest.mark.django_db
def test_notes_keep_their_text_without_markup(hostile):
    span = hostile["span"]
    span.refresh_from_db()
    assert "<script>" not in span.note
    assert span.note.startswith("a < b && c > d")

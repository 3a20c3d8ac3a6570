"""NUL and bidirectional control characters are refused, naming the field: NUL in a note or a
source-link URL (any door, the importer included), and the embedding, override and isolate
controls (U+202A to U+202E, U+2066 to U+2069) in source names and aliases, titles, notes and URLs.
A reader cannot see them, and they make one name look like another."""

import json
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from annotations.models import Annotation, Article, Source, SourceLink
from tests.conftest import api_client

pytestmark = pytest.mark.django_db

BIDI_CONTROLS = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]


def _import(path):
    with pytest.raises(CommandError) as caught:
        call_command("import_articles", str(path), stdout=StringIO(), stderr=StringIO())
    return str(caught.value)


def _record(**span_fields) -> dict:
    span = {"start": 0, "end": 5, "label": "claim", "annotator": "alice", **span_fields}
    return {"external_id": "ctl", "text": "Selon Reuters, fin.", "language": "fr", "annotations": [span]}


@pytest.mark.parametrize(
    ("span_fields", "field"),
    [
        ({"note": "a\u0000b"}, "note"),
        ({"source_links": [{"source": "reuters", "url": "https://example.org/a\u0000b"}]}, "url"),
    ],
)
def test_an_import_with_nul_in_a_note_or_link_url_is_refused_naming_the_field(
    tmp_path, alice, reuters, span_fields, field
):
    path = tmp_path / "nul.jsonl"
    path.write_text(json.dumps(_record(**span_fields)) + "\n")
    message = _import(path)
    assert "nul.jsonl:1" in message
    assert field in message and "NUL" in message
    assert not Article.objects.exists()
    assert not SourceLink.objects.exists()


@pytest.mark.parametrize("control", BIDI_CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_the_api_refuses_bidi_controls_in_a_note_and_a_link_url(alice, article, reuters, control):
    client = api_client(alice)
    base = {"article": article.pk, "start": 0, "end": 5, "label": "claim"}
    note = client.post("/api/annotations/", {**base, "note": f"vu {control}sretueR"}, format="json")
    assert note.status_code == 400
    assert "bidirectional" in note.json()["note"][0]
    link = {"source": "reuters", "url": f"https://example.org/{control}gpj.exe"}
    url = client.post("/api/annotations/", {**base, "source_links": [link]}, format="json")
    assert url.status_code == 400
    assert "bidirectional" in json.dumps(url.json()["source_links"])
    assert not Annotation.objects.exists()


@pytest.mark.parametrize("control", BIDI_CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_the_api_refuses_bidi_controls_in_a_source_name_alias_or_homepage(alice, control):
    client = api_client(alice)
    for body, field in [
        ({"name": f"{control}sretueR"}, "name"),
        ({"name": "Agence X", "aliases": ["AX", f"{control}X"]}, "aliases"),
        ({"name": "Agence Y", "homepage": f"https://example.org/{control}"}, "homepage"),
    ]:
        response = client.post("/api/sources/", body, format="json")
        assert response.status_code == 400, body
        assert field in response.json()
        assert "bidirectional" in json.dumps(response.json()[field])
    assert not Source.objects.exists()


@pytest.mark.parametrize("control", ["\u202e", "\u2067"], ids=["U+202E", "U+2067"])
def test_an_import_refuses_bidi_controls_in_a_title(tmp_path, vocabulary, control):
    path = tmp_path / "title.jsonl"
    path.write_text(json.dumps({"external_id": "t", "title": f"Vrai {control}ffuts", "text": "Texte."}) + "\n")
    message = _import(path)
    assert "title.jsonl:1" in message and "title" in message and "bidirectional" in message
    assert not Article.objects.exists()


def test_the_admin_refuses_bidi_controls_in_a_title(sam, article):
    sam.user_permissions.add(*Permission.objects.filter(content_type__app_label="annotations"))
    client = Client()
    client.force_login(sam)
    response = client.post(
        f"/admin/annotations/article/{article.pk}/change/",
        {
            "external_id": article.external_id,
            "title": "Vrai \u202effuts",
            "language": "fr",
            "direction": "ltr",
            "text": article.text,
            "metadata": "{}",
            "annotations-TOTAL_FORMS": "0",
            "annotations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "bidirectional" in response.content.decode()
    article.refresh_from_db()
    assert article.title == "Selon Reuters"


def test_marks_that_are_not_controls_stay_allowed(alice, article, reuters):
    # The right-to-left and left-to-right marks (U+200F, U+200E) and Arabic text are ordinary.
    response = api_client(alice).post(
        "/api/annotations/",
        {"article": article.pk, "start": 0, "end": 5, "label": "claim", "note": "رويترز\u200f قال"},
        format="json",
    )
    assert response.status_code == 201

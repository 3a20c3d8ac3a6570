"""Notes, imported HTML titles and imported HTML texts are plain text: nothing that still
parses as markup is stored, however the markup is nested or entity-encoded."""

import html
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from annotations.models import Annotation, Article
from annotations.services import annotation_create, clean_note
from tests.conftest import api_client
from tests.reliability.fuzz import FUZZ

# "<" then a letter, "/", "!" or "?": an HTML tokenizer starts a tag, comment or declaration.
TAG_LIKE = re.compile(r"<[A-Za-z/!?]")

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "<!-- c --><b>bold</b>",
    "<iframe srcdoc='<script>x</script>'></iframe>",
]


def _escape(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _numeric(s: str) -> str:
    return s.replace("<", "&#60;").replace(">", "&#x3e;")


def _split(s: str) -> str:
    # <script> → <<script>script>: stripping the inner tag joins the outer one back together.
    return re.sub(r"<(/?)([a-z]+)", lambda m: f"<<{m[1]}{m[2]}>{m[1]}{m[2]}", s, count=1)


TRANSFORMS = [_escape, _numeric, _split]


@st.composite
def hostile(draw) -> str:
    text = draw(st.sampled_from(PAYLOADS))
    for transform in draw(st.lists(st.sampled_from(TRANSFORMS), max_size=5)):
        text = transform(text)
    before = draw(st.text(alphabet="ab <>&;é", max_size=6))
    return before + " " + text + " tail"


def _is_plain(text: str) -> bool:
    return not TAG_LIKE.search(text) and not TAG_LIKE.search(html.unescape(text))


@FUZZ
@given(payload=hostile())
def test_a_cleaned_note_holds_no_markup_whatever_the_nesting(payload):
    try:
        cleaned = clean_note(payload)
    except ValidationError as exc:
        assert "note" in exc.message_dict  # refused, naming the field; never stored
        return
    assert _is_plain(cleaned), cleaned
    assert clean_note(cleaned) == cleaned  # a fixed point: cleaning again changes nothing


@pytest.mark.parametrize(
    ("note", "stored"),
    [
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "alert(1)"),
        ("<<script>script>alert(1)<</script>/script>", "alert(1)"),
        ("&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;", "alert(1)"),
        ("&#60;img src=x onerror=alert(1)&#62;ok", "ok"),
        ("a < b & c > d", "a < b & c > d"),
        ("AT&T and R&D, 3 > 2", "AT&T and R&D, 3 > 2"),
        ("Selon <b>Reuters</b>", "Selon Reuters"),
    ],
)
def test_notes_are_stored_as_plain_text(alice, article, note, stored):
    response = api_client(alice).post(
        "/api/annotations/",
        {"article": article.pk, "start": 0, "end": 5, "label": "claim", "note": note},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Annotation.objects.get().note == stored


@pytest.mark.parametrize("note", ["x<y", "unfinished <b", "a </ b", "&lt;b"])
def test_a_note_that_would_still_read_as_markup_is_refused_with_a_message(alice, article, note):
    response = api_client(alice).post(
        "/api/annotations/",
        {"article": article.pk, "start": 0, "end": 5, "label": "claim", "note": note},
        format="json",
    )
    assert response.status_code == 400
    assert "markup" in response.json()["note"][0]
    assert not Annotation.objects.exists()


def test_markup_nested_past_the_limit_is_refused_not_looped_over(alice, article):
    note = "<b>x</b>"
    for _ in range(30):
        note = _escape(note)
    with pytest.raises(ValidationError) as excinfo:
        annotation_create(article=article, annotator=alice, start=0, end=5, label="claim", note=note)
    assert "note" in excinfo.value.message_dict


HTML_PAGE = (
    '<!doctype html><html lang="fr"><head>'
    "<title>Titre &amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;</title></head>"
    "<body><p>Début &amp;lt;script&amp;gt;evil()&amp;lt;/script&amp;gt; fin.</p>"
    "<p>&lt;&lt;script&gt;script&gt;alert(2)&lt;&lt;/script&gt;/script&gt;"
    " et &amp;#60;img src=x onerror=y&amp;#62;.</p>"
    "</body></html>"
)


def test_an_html_import_stores_a_title_and_text_without_markup(tmp_path, vocabulary):
    (tmp_path / "page.html").write_text(HTML_PAGE, encoding="utf-8")
    call_command("import_articles", str(tmp_path / "page.html"), stdout=io.StringIO(), stderr=io.StringIO())
    article = Article.objects.get(external_id="page")
    assert _is_plain(article.title), article.title
    assert _is_plain(article.text), article.text
    assert article.title == "Titre alert(1)"
    assert "Début evil() fin." in article.text
    assert "alert(2)" in article.text


def test_an_html_import_that_would_keep_markup_is_refused_with_its_file(tmp_path, vocabulary):
    (tmp_path / "left.html").write_text("<html><body><p>Texte &lt;b</p><p>fin</p></body></html>", encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        call_command("import_articles", str(tmp_path / "left.html"), stdout=io.StringIO(), stderr=io.StringIO())
    assert "left.html" in str(excinfo.value)
    assert "markup" in str(excinfo.value)
    assert not Article.objects.exists()

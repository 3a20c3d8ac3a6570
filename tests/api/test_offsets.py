"""Offsets are Unicode code points both ways through the API (emoji, Arabic, combining marks)."""

import pytest

from annotations.models import Annotation, Article
from tests.conftest import api_client

TEXTS = {
    "emoji": ("fr", "Le café 🎉🎉 coûte 12 milliards 👩‍👩‍👧 de dollars, selon Reuters."),
    "arabic": ("ar", "قالت وكالة رويترز إن الأسعار ارتفعت بنسبة ١٢٪ في 2024 🙂."),
    "combining": ("id", "Perusahaan e\u0301nergi bilang naik 12\u00a0persen.\nSelesai."),
}


def code_point_span(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


@pytest.mark.parametrize(
    ("name", "needle"),
    [
        ("emoji", "🎉🎉 coûte"),
        ("emoji", "👩‍👩‍👧 de dollars"),
        ("emoji", "selon Reuters"),  # after the emoji, UTF-16 and code points disagree by 7
        ("arabic", "وكالة رويترز"),
        ("arabic", "١٢٪ في 2024 🙂"),
        ("combining", "e\u0301nergi"),
        ("combining", "12\u00a0persen.\nSelesai"),
    ],
)
def test_code_point_offsets_round_trip(alice, vocabulary, name, needle):
    language, text = TEXTS[name]
    article = Article.objects.create(external_id=name, title=name, text=text, language=language)
    start, end = code_point_span(text, needle)
    client = api_client(alice)
    created = client.post(
        "/api/annotations/", {"article": article.pk, "start": start, "end": end, "text": needle, "label": "claim"}
    )
    assert created.status_code == 201, created.json()
    read = client.get(f"/api/annotations/{created.json()['id']}/").json()
    assert (read["start"], read["end"], read["text"]) == (start, end, needle)
    stored = Annotation.objects.get(pk=read["id"])
    assert article.text[stored.start : stored.end] == stored.text == needle


def test_utf16_offsets_from_a_browser_are_refused_not_stored(alice, vocabulary):
    _, text = TEXTS["emoji"]
    article = Article.objects.create(external_id="emoji", title="e", text=text, language="fr")
    start, _ = code_point_span(text, "selon Reuters")
    utf16_start = len(text[:start].encode("utf-16-le")) // 2
    body = {
        "article": article.pk,
        "start": utf16_start,
        "end": utf16_start + 13,
        "text": "selon Reuters",
        "label": "claim",
    }
    response = api_client(alice).post("/api/annotations/", body)
    assert response.status_code == 400
    assert "text" in response.json() or "end" in response.json()
    assert not Annotation.objects.exists()

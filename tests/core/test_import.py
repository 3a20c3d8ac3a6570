"""import_articles: .txt, .html and .jsonl in, normalised text and checked spans out."""

import hashlib

import pytest

from annotations.models import Annotation, Article, Source
from annotations.services import annotation_create
from tests.importing.helpers import jsonl, refused, run


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def fr_record() -> dict:
    text = "Selon Reuters, le café coûte 12 euros.\nFin."
    return {"text": text, "label": [[0, 13, "attribution"], [15, 37, "claim"]]}


# --- .txt -----------------------------------------------------------------------------


def test_a_txt_file_becomes_one_article_named_after_the_file(tmp_path, vocabulary):
    path = tmp_path / "berita-satu.txt"
    path.write_bytes("\ufeffJudul Berita\r\n\r\nParagraf pertama.\rParagraf kedua.\n".encode())
    output = run(path, language="id")
    article = Article.objects.get()
    assert article.external_id == "berita-satu"
    assert article.title == "Judul Berita"
    assert article.text == "Judul Berita\n\nParagraf pertama.\nParagraf kedua."
    assert (article.language, article.direction) == ("id", "ltr")
    assert article.text_sha256 == sha(article.text)
    assert "1 created" in output


def test_a_txt_file_in_nfd_is_stored_in_nfc(tmp_path, vocabulary):
    (tmp_path / "cafe.txt").write_text("Cafe\u0301 cre\u0300me", encoding="utf-8")
    run(tmp_path / "cafe.txt")
    assert Article.objects.get().text == "Café crème"


def test_the_language_of_arabic_text_is_guessed_from_the_script(tmp_path, vocabulary):
    (tmp_path / "ar.txt").write_text("دخلت جوجل رسميًا في شراكة تقنية جديدة مع شركة OpenAI.", encoding="utf-8")
    (tmp_path / "fa.txt").write_text("گوگل و اوپن‌ای‌آی یک قرارداد امضا کردند.", encoding="utf-8")
    (tmp_path / "latin.txt").write_text("OpenAI dan Google bekerja sama.", encoding="utf-8")
    run(tmp_path)
    languages = dict(Article.objects.values_list("external_id", "language"))
    directions = dict(Article.objects.values_list("external_id", "direction"))
    assert languages == {"ar": "ar", "fa": "und", "latin": "und"}
    assert directions == {"ar": "rtl", "fa": "rtl", "latin": "ltr"}


def test_a_guessed_language_does_not_overwrite_a_stored_one(tmp_path, vocabulary):
    path = tmp_path / "doc.txt"
    path.write_text("Un texte en français.", encoding="utf-8")
    run(path, language="fr")
    run(path)
    assert Article.objects.get().language == "fr"


# --- .html ----------------------------------------------------------------------------

HOSTILE_HTML = """<!doctype html>
<html lang="fr"><head><title>Le  titre
 de la page</title>
<style>p { color: red }</style><script>alert("head")</script></head>
<body><nav><a href="/">Accueil</a></nav>
<h1>OpenAI et Google</h1>
<p>Selon <b>Reuters</b>, l&#39;accord vaut <em>12&nbsp;milliards</em>.</p>
<script>alert(1)</script><img src=x onerror=alert(1)><noscript>Activez JavaScript</noscript>
<template><p>modèle caché</p></template><svg><title>icône</title></svg>
<p onclick="steal()">Le texte &lt;script&gt;evil()&lt;/script&gt; reste du texte.<br>Deuxième ligne.</p>
<ul><li>un</li><li>deux</li></ul>
</body></html>"""


def test_an_html_page_keeps_its_visible_text_with_blocks_on_their_own_lines(tmp_path, vocabulary):
    (tmp_path / "page.html").write_text(HOSTILE_HTML, encoding="utf-8")
    run(tmp_path / "page.html")
    article = Article.objects.get()
    assert article.title == "Le titre de la page"
    assert (article.language, article.direction) == ("fr", "ltr")
    assert article.text == (
        "Accueil\n\nOpenAI et Google\n\nSelon Reuters, l'accord vaut 12\u00a0milliards.\n\n"
        "Le texte evil() reste du texte.\nDeuxième ligne.\n\nun\n\ndeux"
    )


def test_an_html_page_leaves_no_markup_or_script_behind(tmp_path, vocabulary):
    (tmp_path / "page.html").write_text(HOSTILE_HTML, encoding="utf-8")
    run(tmp_path / "page.html")
    article = Article.objects.get()
    for leftover in ("<", ">", "alert", "onerror", "onclick", "steal", "color: red", "Activez", "caché", "icône"):
        assert leftover not in article.text, leftover
        assert leftover not in article.title, leftover


def test_an_html_page_without_closing_tags_keeps_its_body(tmp_path, vocabulary):
    (tmp_path / "lax.html").write_text("<html lang=ar><head><title>عنوان</title><body><p>نص أول<p>نص ثان")
    run(tmp_path / "lax.html")
    article = Article.objects.get()
    assert (article.title, article.text, article.language, article.direction) == (
        "عنوان",
        "نص أول\n\nنص ثان",
        "ar",
        "rtl",
    )


def test_the_language_option_wins_over_the_html_lang(tmp_path, vocabulary):
    (tmp_path / "page.html").write_text('<html lang="en"><body><h1>Judul</h1><p>Isi.</p></body></html>')
    run(tmp_path / "page.html", language="id")
    article = Article.objects.get()
    assert (article.language, article.title) == ("id", "Judul")


# --- .jsonl ---------------------------------------------------------------------------


def test_a_doccano_file_brings_its_spans_for_the_annotator(tmp_path, alice, fr_record):
    path = jsonl(tmp_path / "doccano.jsonl", fr_record)
    output = run(path, annotator="alice", language="fr")
    article = Article.objects.get()
    # No title in a doccano record: the first line stands in.
    assert (article.external_id, article.language, article.title) == (
        "doccano-1",
        "fr",
        "Selon Reuters, le café coûte 12 euros.",
    )
    spans = list(Annotation.objects.order_by("start").values_list("start", "end", "text", "label__slug", "annotator"))
    assert spans == [
        (0, 13, "Selon Reuters", "attribution", alice.pk),
        (15, 37, "le café coûte 12 euros", "claim", alice.pk),
    ]
    assert "spans: 2 created" in output


def test_an_export_record_brings_claim_fields_and_source_links(tmp_path, alice, bob, reuters):
    text = "وقالت رويترز إن الصفقة تبلغ 12 مليار دولار."
    record = {
        "id": 99,
        "external_id": "ar-001",
        "title": "صفقة",
        "language": "ar",
        "direction": "rtl",
        "url": "https://example.org/ar-001",
        "publisher": "Example",
        "author": "Ana",
        "published_at": "2025-06-11T16:57:00+07:00",
        "text": text,
        "text_sha256": sha(text),
        "annotations": [
            {
                "id": 17,
                "start": 6,
                "end": 12,
                "text": "رويترز",
                "label": "attribution",
                "claim_type": None,
                "checkworthy": None,
                "verdict": "unchecked",
                "note": "",
                "source_links": [{"source": "reuters", "name": "Reuters", "url": None, "relation": "attributed"}],
                "annotator": "bob",
            },
            {
                "start": 16,
                "end": 42,
                "text": text[16:42],
                "label": "claim",
                "claim_type": "quantity",
                "checkworthy": True,
                "verdict": "mostly-true",
                "note": "<b>Chiffre</b> à vérifier",
                "source_links": [
                    {
                        "source": "reuters",
                        "name": "Reuters",
                        "url": "https://www.reuters.com/x",
                        "relation": "supports",
                    },
                    {"source": "wam", "name": "WAM", "url": None, "relation": "context"},
                ],
                "annotator": "someone-elsewhere",
            },
        ],
    }
    output = run(jsonl(tmp_path / "export.jsonl", record), annotator="alice")
    article = Article.objects.get()
    assert (article.external_id, article.language, article.direction, article.url) == (
        "ar-001",
        "ar",
        "rtl",
        "https://example.org/ar-001",
    )
    assert article.published_at.isoformat() == "2025-06-11T09:57:00+00:00"
    first, second = Annotation.objects.order_by("start")
    assert (first.annotator, first.label.slug, first.text) == (bob, "attribution", "رويترز")
    assert [(link.source.slug, link.relation) for link in first.source_links.all()] == [("reuters", "attributed")]
    assert second.annotator == alice  # the record's annotator does not exist here
    assert (second.claim_type.slug, second.checkworthy, second.verdict.slug) == ("quantity", True, "mostly-true")
    assert second.note == "Chiffre à vérifier"
    assert [(link.source.slug, link.url, link.relation) for link in second.source_links.all()] == [
        ("reuters", "https://www.reuters.com/x", "supports"),
        ("wam", None, "context"),
    ]
    assert Source.objects.get(slug="wam").name == "WAM"
    assert "sources: 1 created" in output


def test_a_label_studio_task_brings_its_labelled_spans(tmp_path, alice):
    task = {
        "data": {"text": "Selon Reuters, oui."},
        "annotations": [{"result": [{"type": "labels", "value": {"start": 0, "end": 13, "labels": ["Attribution"]}}]}],
    }
    run(jsonl(tmp_path / "ls.jsonl", task), annotator="alice")
    annotation = Annotation.objects.get()
    assert (annotation.text, annotation.label.slug) == ("Selon Reuters", "attribution")


def test_label_studio_choices_about_the_whole_text_are_not_spans(tmp_path, alice):
    task = {
        "data": {"text": "Selon Reuters, oui."},
        "annotations": [
            {
                "result": [
                    {"type": "choices", "value": {"choices": ["checkworthy"]}},
                    {"type": "labels", "value": {"start": 0, "end": 5, "labels": ["claim"]}},
                ]
            }
        ],
    }
    run(jsonl(tmp_path / "ls.jsonl", task), annotator="alice")
    assert list(Annotation.objects.values_list("text", flat=True)) == ["Selon"]


def test_spans_without_a_label_take_the_label_option(tmp_path, alice):
    record = {"text": "Selon Reuters, oui.", "spans": [{"start": 0, "end": 13}]}
    path = jsonl(tmp_path / "plain.jsonl", record)
    assert "span [0, 13]" in refused(path, annotator="alice")
    run(path, annotator="alice", label="attribution")
    assert Annotation.objects.get().label.slug == "attribution"


# --- idempotency ----------------------------------------------------------------------


def test_a_second_run_changes_nothing(tmp_path, alice, fr_record):
    path = jsonl(tmp_path / "doccano.jsonl", fr_record, {"external_id": "two", "text": "Deux."})
    run(path, annotator="alice", language="fr")
    before = (
        list(Article.objects.values_list("pk", "updated_at", "text_sha256")),
        list(Annotation.all_objects.values_list("pk", "updated_at", "version")),
    )
    output = run(path, annotator="alice", language="fr")
    after = (
        list(Article.objects.values_list("pk", "updated_at", "text_sha256")),
        list(Annotation.all_objects.values_list("pk", "updated_at", "version")),
    )
    assert after == before
    assert "articles: 0 created, 0 updated, 2 unchanged; spans: 0 created, 2 already present" in output


def test_a_rerun_does_not_bring_back_a_deleted_span(tmp_path, alice, fr_record):
    path = jsonl(tmp_path / "doccano.jsonl", fr_record)
    run(path, annotator="alice")
    Annotation.objects.filter(start=0).update(deleted_at="2025-01-01T00:00:00Z")
    run(path, annotator="alice")
    assert Annotation.objects.count() == 1
    assert Annotation.all_objects.count() == 2


def test_a_record_stating_only_a_direction_keeps_the_stored_language(tmp_path, vocabulary):
    run(jsonl(tmp_path / "a.jsonl", {"external_id": "x", "text": "Texte.", "language": "fr"}))
    output = run(jsonl(tmp_path / "a.jsonl", {"external_id": "x", "text": "Texte.", "direction": "rtl"}))
    article = Article.objects.get()
    assert (article.language, article.direction) == ("fr", "rtl")
    assert "1 updated" in output


def test_a_changed_file_updates_the_article(tmp_path, vocabulary):
    path = tmp_path / "doc.txt"
    path.write_text("Premier texte.", encoding="utf-8")
    run(path, language="fr")
    path.write_text("Second texte.", encoding="utf-8")
    output = run(path, language="fr")
    assert Article.objects.get().text == "Second texte."
    assert "0 created, 1 updated" in output


def test_the_text_of_an_annotated_article_cannot_change(tmp_path, alice):
    path = tmp_path / "doc.txt"
    path.write_text("Premier texte.", encoding="utf-8")
    run(path)
    annotation_create(article=Article.objects.get(), annotator=alice, start=0, end=7, label="claim")
    path.write_text("Second texte.", encoding="utf-8")
    message = refused(path)
    assert "doc.txt" in message and "cannot change once annotated" in message
    assert Article.objects.get().text == "Premier texte."


# --- refusals: file and line named, nothing kept ----------------------------------------


def test_a_broken_line_is_reported_by_number_and_nothing_is_imported(tmp_path, alice, fr_record):
    path = jsonl(tmp_path / "bad.jsonl", fr_record, '{"text": "Deux.", ', {"text": "Trois."})
    message = refused(path, annotator="alice")
    assert message.startswith(f"{path}:2: invalid JSON")
    assert not Article.objects.exists()
    assert not Annotation.all_objects.exists()


def test_a_span_out_of_bounds_is_reported_by_line_and_nothing_is_imported(tmp_path, alice, fr_record):
    path = jsonl(tmp_path / "bad.jsonl", fr_record, {"text": "Deux."}, {"text": "Trois.", "label": [[40, 10, "claim"]]})
    message = refused(path, annotator="alice")
    assert "bad.jsonl:3: span [40, 10]:" in message
    assert "end" in message
    assert not Article.objects.exists()
    assert not Annotation.all_objects.exists()


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([[0, 99, "claim"]], "past the end"),
        ([[-1, 3, "claim"]], "start must be 0 or more"),
        ([[2, 2, "claim"]], "may not be empty"),
        ([["0", 3, "claim"]], "whole number"),
        ([[0, 3]], "[start, end, label]"),
        ("not a list", "must be a list"),
    ],
)
def test_each_kind_of_bad_span_is_refused_with_the_line(tmp_path, alice, spans, expected):
    path = jsonl(tmp_path / "bad.jsonl", {"text": "Un.\nDeux."}, {"text": "Trois quatre.", "label": spans})
    message = refused(path, annotator="alice")
    assert "bad.jsonl:2:" in message and expected in message
    assert not Article.objects.exists()


def test_a_span_whose_text_does_not_match_is_refused(tmp_path, alice):
    path = jsonl(tmp_path / "bad.jsonl", {"text": "Selon Reuters.", "spans": [{"start": 0, "end": 5, "text": "Salut"}]})
    message = refused(path, annotator="alice")
    assert "bad.jsonl:1: span [0, 5]: text does not match" in message


def test_an_unknown_label_is_refused_with_the_line(tmp_path, alice):
    path = jsonl(tmp_path / "bad.jsonl", {"text": "Un."}, {"text": "Selon Reuters.", "label": [[0, 5, "rumour"]]})
    message = refused(path, annotator="alice")
    assert "bad.jsonl:2:" in message and "unknown label 'rumour'" in message
    assert not Article.objects.exists()


def test_spans_need_an_annotator(tmp_path, alice, fr_record):
    message = refused(jsonl(tmp_path / "spans.jsonl", fr_record))
    assert "spans.jsonl:1:" in message and "--annotator" in message
    assert not Article.objects.exists()
    assert "no user named 'nobody'" in refused(tmp_path / "spans.jsonl", annotator="nobody")


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ({"title": "Sans texte"}, "needs a text"),
        ({"text": "   "}, "text is empty"),
        ({"text": "Un.", "language": "pas une langue"}, "BCP 47"),
        ({"text": "Un.", "url": "javascript:alert(1)"}, "url"),
        ({"text": "Un.", "published_at": "hier"}, "published_at"),
        ({"text": "Un.", "title": "x" * 501}, "title"),
        ({"text": "Un.", "text_sha256": "0" * 64}, "text_sha256 does not match"),
        ([1, 2], "JSON object"),
    ],
)
def test_a_bad_record_is_refused_with_the_line(tmp_path, vocabulary, record, expected):
    message = refused(jsonl(tmp_path / "bad.jsonl", {"text": "Bon."}, record))
    assert "bad.jsonl:2:" in message and expected in message
    assert not Article.objects.exists()


def test_an_external_id_twice_in_one_file_is_refused(tmp_path, vocabulary):
    path = jsonl(tmp_path / "dup.jsonl", {"external_id": "a", "text": "Un."}, {"external_id": "a", "text": "Deux."})
    assert "dup.jsonl:2: external_id 'a' appears twice in this file (line 1)" in refused(path)


def test_a_bad_file_does_not_stop_the_good_ones(tmp_path, vocabulary):
    (tmp_path / "a-good.txt").write_text("Bon texte.", encoding="utf-8")
    jsonl(tmp_path / "b-bad.jsonl", {"text": "Un."}, "{oops")
    (tmp_path / "c-notes.md").write_text("ignored")
    message = refused(tmp_path)
    assert "b-bad.jsonl:2:" in message
    assert list(Article.objects.values_list("external_id", flat=True)) == ["a-good"]


def test_unsupported_and_missing_files_are_refused(tmp_path, vocabulary):
    (tmp_path / "notes.md").write_text("x")
    assert "unsupported file type" in refused(tmp_path / "notes.md")
    assert "no such file" in refused(tmp_path / "missing.txt")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    assert "not UTF-8" in refused(tmp_path / "latin1.txt")


def test_a_dry_run_writes_nothing(tmp_path, alice, fr_record):
    output = run(jsonl(tmp_path / "doccano.jsonl", fr_record), annotator="alice", dry_run=True)
    assert "Dry run" in output and "spans: 2 created" in output
    assert not Article.objects.exists()


# --- normalisation moves offsets -----------------------------------------------------------


def test_crlf_and_nfd_input_is_normalised_and_spans_are_moved(tmp_path, alice):
    text = "Cafe\u0301 chaud\r\nSelon Reuters, oui."
    record = {"text": text, "label": [[0, 5, "claim"], [13, 26, "attribution"], [19, 26, "claim"]]}
    assert text[0:5] == "Cafe\u0301" and text[13:26] == "Selon Reuters"
    run(jsonl(tmp_path / "crlf.jsonl", record), annotator="alice")
    article = Article.objects.get()
    assert article.text == "Café chaud\nSelon Reuters, oui."
    spans = list(Annotation.objects.order_by("start", "end").values_list("start", "end", "text"))
    assert spans == [(0, 4, "Café"), (11, 24, "Selon Reuters"), (17, 24, "Reuters")]
    for start, end, covered in spans:
        assert article.text[start:end] == covered


def test_a_span_that_splits_a_character_normalisation_merges_is_refused(tmp_path, alice):
    text = "Cafe\u0301 chaud\r\nSelon Reuters."
    for spans, field in (([[0, 4, "claim"]], "end"), ([[12, 18, "claim"]], "start")):
        message = refused(jsonl(tmp_path / "split.jsonl", {"text": text, "label": spans}), annotator="alice")
        assert f"split.jsonl:1: span [{spans[0][0]}, {spans[0][1]}]: {field} falls inside" in message
    assert not Article.objects.exists()

"""Import at the limits: dates, text size, links out of a folder, DOCTYPE internal subsets."""

import os

import pytest

from annotations.importing import ARTICLE_TEXT_MAX_CHARS
from annotations.models import Article
from tests.importing.helpers import jsonl, refused, run


@pytest.mark.parametrize("published_at", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-05:00"])
def test_a_date_whose_utc_time_leaves_the_calendar_is_a_line_error_and_other_files_still_import(
    tmp_path, vocabulary, published_at
):
    jsonl(tmp_path / "a-dates.jsonl", {"text": "Un."}, {"text": "Deux.", "published_at": published_at})
    (tmp_path / "b-good.txt").write_text("Bon texte.", encoding="utf-8")
    message = refused(tmp_path)
    assert f"a-dates.jsonl:2: published_at {published_at!r} is outside the years 1 to 9999" in message
    assert list(Article.objects.values_list("external_id", flat=True)) == ["b-good"]


def test_dates_just_inside_the_calendar_are_stored_in_utc(tmp_path, vocabulary):
    jsonl(
        tmp_path / "dates.jsonl",
        {"external_id": "first", "text": "Un.", "published_at": "0001-01-01T05:00:00+05:00"},
        {"external_id": "last", "text": "Deux.", "published_at": "9999-12-31T23:59:59+00:00"},
    )
    run(tmp_path / "dates.jsonl")
    stored = dict(Article.objects.values_list("external_id", "published_at"))
    assert stored["first"].isoformat() == "0001-01-01T00:00:00+00:00"
    assert stored["last"].isoformat() == "9999-12-31T23:59:59+00:00"


def test_a_text_over_the_article_limit_is_a_line_error(tmp_path, vocabulary):
    path = jsonl(tmp_path / "big.jsonl", {"text": "Un."}, {"text": "x" * (ARTICLE_TEXT_MAX_CHARS + 1)})
    message = refused(path)
    assert f"big.jsonl:2: text: an article's text may be at most {ARTICLE_TEXT_MAX_CHARS:,} characters" in message
    assert not Article.objects.exists()


def test_a_text_at_the_article_limit_is_imported(tmp_path, vocabulary):
    run(jsonl(tmp_path / "big.jsonl", {"text": "x" * ARTICLE_TEXT_MAX_CHARS}))
    assert len(Article.objects.get().text) == ARTICLE_TEXT_MAX_CHARS


def test_a_line_too_long_to_hold_an_article_is_refused_before_it_is_parsed(tmp_path, vocabulary):
    path = tmp_path / "huge.jsonl"
    with path.open("wb") as file:
        file.write(b'{"text": "Un."}\n{"text": "')
        file.write(b"\\u0627" * (3 * 1024 * 1024))  # 18 MiB of escapes on one line
        file.write(b'"}\n')
    message = refused(path)
    assert "huge.jsonl:2: the line is longer than 16 MiB" in message
    assert not Article.objects.exists()


def test_a_link_in_a_folder_to_a_file_outside_it_is_not_followed(tmp_path, vocabulary):
    outside = tmp_path / "secret.txt"
    outside.write_text("root:x:0:0", encoding="utf-8")
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "good.txt").write_text("Bon texte.", encoding="utf-8")
    (folder / "sibling.txt").write_text("Autre texte.", encoding="utf-8")
    os.symlink(outside, folder / "link.txt")
    os.symlink(folder / "sibling.txt", folder / "inner-link.txt")
    message = refused(folder)
    assert f"{folder / 'link.txt'}: a link to a file outside {folder}; not followed." in message
    assert sorted(Article.objects.values_list("external_id", flat=True)) == ["good", "inner-link", "sibling"]
    assert not Article.objects.filter(text__contains="root").exists()


def test_an_html_doctype_internal_subset_leaves_nothing_behind(tmp_path, vocabulary):
    (tmp_path / "dtd.html").write_text(
        '<!DOCTYPE html [\n  <!ENTITY x "y">\n  <!ELEMENT p (#PCDATA)>\n]>\n'
        '<html lang="fr"><body><p>Bonjour.</p></body></html>',
        encoding="utf-8",
    )
    run(tmp_path / "dtd.html")
    article = Article.objects.get()
    assert article.text == "Bonjour."
    assert "]>" not in article.title

"""The offset rule: code point offsets, end exclusive, refused with a message per field."""

import hashlib

import pytest
from django.core.exceptions import ValidationError

from annotations.models import Annotation, Article
from annotations.offsets import check_span
from annotations.services import annotation_create, annotation_delete

TEXT = "Selon Reuters, le café coûte 12 euros."


def refusal(text, start, end, span_text=None) -> dict:
    with pytest.raises(ValidationError) as caught:
        check_span(text, start, end, span_text)
    return caught.value.message_dict


def test_it_returns_the_text_a_span_covers():
    assert check_span(TEXT, 0, 13) == "Selon Reuters"
    assert check_span(TEXT, 0, len(TEXT)) == TEXT


def test_it_rejects_offsets_past_the_end():
    errors = refusal(TEXT, 30, len(TEXT) + 1)
    assert list(errors) == ["end"]
    assert "past the end" in errors["end"][0]
    assert "start" in refusal(TEXT, len(TEXT) + 1, len(TEXT) + 2)


def test_it_rejects_a_negative_start():
    errors = refusal(TEXT, -1, 4)
    assert list(errors) == ["start"]
    assert "0 or more" in errors["start"][0]


def test_it_rejects_an_empty_span():
    errors = refusal(TEXT, 5, 5)
    assert list(errors) == ["end"]
    assert "empty" in errors["end"][0]


def test_it_rejects_a_reversed_span():
    errors = refusal(TEXT, 10, 4)
    assert "before start" in errors["end"][0]


@pytest.mark.parametrize("bad", ["3", 3.0, None, True, False, [3]])
def test_it_rejects_offsets_that_are_not_whole_numbers(bad):
    assert "whole number" in refusal(TEXT, bad, 5)["start"][0]
    assert "whole number" in refusal(TEXT, 0, bad)["end"][0]


def test_it_rejects_text_that_does_not_match_the_offsets():
    errors = refusal(TEXT, 0, 13, "Selon Reuter")
    assert list(errors) == ["text"]
    assert "does not match" in errors["text"][0]
    assert "'Selon Reuters'" in errors["text"][0]


def test_an_emoji_counts_as_one_code_point():
    text = "😀 Reuters dit"
    assert len("😀".encode("utf-16-le")) // 2 == 2  # what a browser counts
    assert check_span(text, 2, 9) == "Reuters"
    # The UTF-16 offsets a browser would send are one too far.
    assert check_span(text, 3, 10) != "Reuters"
    assert "text" in refusal(text, 3, 10, "Reuters")


def test_a_decomposed_accent_counts_as_its_own_code_point():
    text = "Cafe\u0301 au lait"  # e + COMBINING ACUTE ACCENT, not normalised
    assert check_span(text, 3, 5) == "e\u0301"
    assert check_span(text, 6, 8) == "au"


def test_annotation_create_stores_code_point_offsets_after_an_emoji(article, alice):
    start = article.text.index("Le café")
    annotation = annotation_create(
        article=article, annotator=alice, start=start, end=start + 7, label="claim", text="Le café"
    )
    annotation.refresh_from_db()
    assert (annotation.start, annotation.end, annotation.text) == (start, start + 7, "Le café")
    assert article.text[annotation.start : annotation.end] == annotation.text
    assert "🎉" in article.text[:start]


def test_annotation_create_indexes_a_decomposed_text_by_code_point(alice):
    article = Article.objects.create(external_id="nfd", title="NFD", text="Cafe\u0301: 3 euros.", language="fr")
    annotation = annotation_create(article=article, annotator=alice, start=7, end=15, label="claim")
    assert annotation.text == "3 euros."


@pytest.mark.parametrize(
    ("start", "end", "text", "field"),
    [
        (0, 500, None, "end"),
        (-1, 3, None, "start"),
        (4, 4, None, "end"),
        (9, 2, None, "end"),
        ("0", 5, None, "start"),
        (True, 5, None, "start"),
        (0, 5, "Nope!", "text"),
    ],
)
def test_annotation_create_refuses_a_bad_span_and_writes_nothing(article, alice, start, end, text, field):
    with pytest.raises(ValidationError) as caught:
        annotation_create(article=article, annotator=alice, start=start, end=end, label="claim", text=text)
    assert field in caught.value.message_dict
    assert not Annotation.all_objects.exists()


def test_article_text_can_change_before_it_is_annotated(article):
    article.text = "Un autre texte."
    article.save()
    article.refresh_from_db()
    assert article.text == "Un autre texte."
    assert article.text_sha256 == hashlib.sha256(b"Un autre texte.").hexdigest()


def test_article_text_cannot_change_once_annotated(article, alice):
    annotation_create(article=article, annotator=alice, start=0, end=5, label="claim")
    original = article.text
    article.text = "Un autre texte."
    with pytest.raises(ValidationError) as caught:
        article.full_clean()
    assert "text" in caught.value.message_dict
    with pytest.raises(ValidationError):
        article.save()
    assert Article.objects.get(pk=article.pk).text == original


def test_a_deleted_span_still_locks_the_text(article, alice):
    # Deleted spans can be restored, so their offsets must stay valid.
    annotation_delete(annotation=annotation_create(article=article, annotator=alice, start=0, end=5, label="claim"))
    article.text = "Un autre texte."
    with pytest.raises(ValidationError):
        article.save()


def test_other_fields_of_an_annotated_article_can_change(article, alice):
    annotation_create(article=article, annotator=alice, start=0, end=5, label="claim")
    article.title = "Nouveau titre"
    article.save()
    assert Article.objects.get(pk=article.pk).title == "Nouveau titre"

"""The write services every path goes through: versioning, soft delete, links, notes."""

import pytest
from django.core.exceptions import ValidationError

from annotations.models import Annotation, Source, SourceLink
from annotations.services import (
    AnnotationGone,
    StaleVersion,
    annotation_create,
    annotation_delete,
    annotation_restore,
    annotation_update,
    clean_note,
    resolve_links,
)

pytestmark = pytest.mark.django_db


def _claim(article, user, phrase="OpenAI a signé un accord", **extra):
    start = article.text.index(phrase)
    return annotation_create(
        article=article, annotator=user, start=start, end=start + len(phrase), label="claim", **extra
    )


def test_it_creates_a_claim_with_default_verdict_and_links(article, alice, reuters):
    annotation = _claim(
        article,
        alice,
        source_links=[{"source": "reuters", "url": "https://www.reuters.com/x", "relation": "attributed"}],
    )
    assert annotation.text == "OpenAI a signé un accord"
    assert annotation.verdict_id is not None and annotation.verdict.slug == "unchecked"
    assert annotation.version == 1
    link = annotation.source_links.get()
    assert (link.source.slug, link.url, link.relation) == ("reuters", "https://www.reuters.com/x", "attributed")


def test_it_indexes_by_code_point_after_an_emoji(article, alice):
    phrase = "Le café coûte 12 milliards"
    annotation = _claim(article, alice, phrase)
    # 🎉 is one code point (two UTF-16 units): the code-point index is what Python slicing uses.
    assert article.text[annotation.start : annotation.end] == phrase
    assert annotation.start == article.text.index(phrase)


def test_it_refuses_a_javascript_url_and_writes_nothing(article, alice, reuters):
    with pytest.raises(ValidationError) as exc:
        _claim(article, alice, source_links=[{"source": "reuters", "url": "javascript:alert(1)"}])
    assert "source_links" in exc.value.message_dict
    assert "http" in exc.value.message_dict["source_links"][0]
    assert Annotation.all_objects.count() == 0
    assert SourceLink.objects.count() == 0


def test_it_refuses_an_unknown_source_label_and_verdict(article, alice):
    for field, extra in (
        ("source_links", {"source_links": [{"source": "nope"}]}),
        ("verdict", {"verdict": "kinda"}),
        ("claim_type", {"claim_type": "vibes"}),
    ):
        with pytest.raises(ValidationError) as exc:
            _claim(article, alice, **extra)
        assert field in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        annotation_create(article=article, annotator=alice, start=0, end=5, label="nope")
    assert "label" in exc.value.message_dict
    assert Annotation.all_objects.count() == 0


def test_it_strips_markup_from_notes():
    assert clean_note('<img src=x onerror=alert(1)>See <b>this</b> & "that"') == 'See this & "that"'
    assert clean_note("<script>alert(1)</script>ok") == "alert(1)ok"
    with pytest.raises(ValidationError):
        clean_note("x" * 10_001)


def test_it_refuses_a_stale_version_and_keeps_the_other_writers_change(article, alice):
    annotation = _claim(article, alice)
    first = annotation_update(annotation=annotation, expected_version=1, changes={"note": "first writer"})
    assert first.version == 2
    with pytest.raises(StaleVersion) as exc:
        annotation_update(annotation=annotation, expected_version=1, changes={"note": "second writer"})
    assert exc.value.current.note == "first writer"
    annotation.refresh_from_db()
    assert (annotation.note, annotation.version) == ("first writer", 2)


def test_it_moves_a_span_only_through_the_offset_rule(article, alice):
    annotation = _claim(article, alice)
    with pytest.raises(ValidationError) as exc:
        annotation_update(annotation=annotation, expected_version=1, changes={"end": len(article.text) + 1})
    assert "end" in exc.value.message_dict
    moved = annotation_update(annotation=annotation, expected_version=1, changes={"start": 0, "end": 5})
    assert moved.text == "Selon"


def test_it_soft_deletes_and_restores(article, alice):
    annotation = _claim(article, alice)
    annotation_delete(annotation=annotation, expected_version=1)
    assert not Annotation.objects.filter(pk=annotation.pk).exists()
    assert Annotation.all_objects.get(pk=annotation.pk).deleted_at is not None
    restored = annotation_restore(annotation=annotation)
    assert restored.deleted_at is None and restored.version == 3
    assert Annotation.objects.filter(pk=annotation.pk).exists()


def test_it_records_history_of_every_change(article, alice):
    annotation = _claim(article, alice)
    annotation_update(annotation=annotation, expected_version=1, changes={"note": "checked"})
    annotation_delete(annotation=annotation)
    notes = list(annotation.history.order_by("history_date").values_list("history_type", "note"))
    assert notes[0] == ("+", "")
    assert ("~", "checked") in notes
    assert annotation.history.latest("history_date").deleted_at is not None


def test_it_records_history_of_source_links(article, alice, reuters):
    annotation = _claim(article, alice, source_links=[{"source": "reuters"}])
    annotation_update(annotation=annotation, expected_version=1, changes={}, links=[])
    kinds = sorted(SourceLink.history.filter(annotation_id=annotation.pk).values_list("history_type", flat=True))
    assert kinds == ["+", "-"]


def test_it_refuses_to_edit_an_annotation_deleted_meanwhile(article, alice):
    annotation = _claim(article, alice)
    annotation_delete(annotation=annotation)
    with pytest.raises(AnnotationGone):
        annotation_update(annotation=annotation, expected_version=None, changes={"note": "too late"})
    assert Annotation.all_objects.get(pk=annotation.pk).note == ""


def test_it_looks_up_every_linked_source_in_one_query(reuters, django_assert_num_queries):
    Source.objects.create(slug="afp", name="AFP")
    links = [{"source": "reuters"}, {"source": "afp", "relation": "supports"}, {"source": "reuters"}] * 10
    with django_assert_num_queries(1):
        specs = resolve_links(links)
    assert [spec.source.slug for spec in specs] == [link["source"] for link in links]
    with pytest.raises(ValidationError) as refused:
        resolve_links([{"source": "reuters"}, {"source": "nobody"}, {"source": 7}])
    assert refused.value.message_dict["source_links"] == [
        "source_links[1].source: Unknown source 'nobody'.",
        "source_links[2].source: Unknown source 7.",
    ]

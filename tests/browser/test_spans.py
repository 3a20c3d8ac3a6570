"""Spans on the page: overlaps, delete and undo, whose spans show, markup stays text."""

import pytest
from playwright.sync_api import expect

from annotations.models import Annotation, Article
from tests.browser.helpers import (
    TEXT,
    expect_saved,
    highlights,
    mouse_select,
    open_annotator,
    save,
    select_from_list,
)
from tests.factories import make_span

pytestmark = pytest.mark.browser

TEXT_FR = "Selon Reuters, OpenAI a signé un accord de 12 milliards de dollars avec Google Cloud."


@pytest.fixture
def article(vocabulary):
    return Article.objects.create(external_id="spans", title="Spans", text=TEXT_FR, language="fr")


def test_nested_and_overlapping_spans_all_render_with_their_ids(open_page, alice, article):
    outer = make_span(article, alice, "Selon Reuters, OpenAI a signé un accord")
    inner = make_span(article, alice, "Reuters", label="attribution")
    page = open_annotator(open_page(alice), article)

    # A third span, made in the page, overlaps the outer one at "un accord".
    mouse_select(page, "un accord de 12 milliards")
    page.locator(".label-button[data-label=attribution]").click()
    expect(page.locator(".span-item")).to_have_count(3)
    crossing = Annotation.objects.get(text="un accord de 12 milliards")

    for span in (outer, inner, crossing):
        assert highlights(page, span.pk).count() >= 1
    expect(page.locator(f'{TEXT} [data-annotation-id="{outer.pk}"] [data-annotation-id="{inner.pk}"]')).to_have_text(
        "Reuters"
    )
    expect(page.locator(f'{TEXT} [data-annotation-id="{outer.pk}"] [data-annotation-id="{crossing.pk}"]')).to_have_text(
        "un accord"
    )
    # Overlapping spans draw their underlines at different depths.
    assert "lane-0" in highlights(page, outer.pk).first.get_attribute("class")
    assert "lane-1" in highlights(page, crossing.pk).first.get_attribute("class")
    assert page.locator(TEXT).text_content() == TEXT_FR

    # Repeated clicks on "Reuters" walk from the innermost span outwards and around.
    reuters = highlights(page, inner.pk)
    quote = page.get_by_test_id("span-text")
    reuters.click()
    expect(quote).to_have_text("Reuters")
    reuters.click()
    expect(quote).to_have_text(outer.text)
    reuters.click()
    expect(quote).to_have_text("Reuters")
    expect(page.locator("[data-overlaps] .overlap-button")).to_have_count(1)


def test_delete_then_undo_brings_the_span_back(open_page, alice, article):
    span = make_span(article, alice, "OpenAI a signé un accord", note="à vérifier")
    page = open_annotator(open_page(alice), article)

    highlights(page, span.pk).click()
    page.keyboard.press("Delete")
    expect(highlights(page, span.pk)).to_have_count(0)
    expect(page.locator(".span-item")).to_have_count(0)
    assert Annotation.all_objects.get(pk=span.pk).deleted_at is not None

    page.keyboard.press("Control+z")
    expect(highlights(page, span.pk)).to_have_count(1)
    restored = Annotation.objects.get(pk=span.pk)
    assert restored.note == "à vérifier"
    expect(page.get_by_test_id("span-text")).to_have_text("OpenAI a signé un accord")

    # The Delete button and the Undo button do the same.
    page.get_by_role("button", name="Delete", exact=True).click()
    expect(highlights(page, span.pk)).to_have_count(0)
    page.get_by_role("button", name="Undo").click()
    expect(highlights(page, span.pk)).to_have_count(1)
    assert Annotation.objects.filter(pk=span.pk).exists()


def test_undo_removes_a_new_span_and_reverts_an_edit(open_page, alice, article):
    page = open_annotator(open_page(alice), article)

    mouse_select(page, "12 milliards de dollars")
    page.keyboard.press("c")
    expect(page.locator(".span-item")).to_have_count(1)
    page.locator("#f-note").fill("chiffre à vérifier")
    save(page)
    expect_saved(page)
    span = Annotation.objects.get(article=article)
    assert span.note == "chiffre à vérifier"

    page.keyboard.press("Control+z")  # the edit
    expect(page.locator("#f-note")).to_have_value("")
    span.refresh_from_db()
    assert span.note == ""
    page.keyboard.press("Control+z")  # the creation
    expect(page.locator(".span-item")).to_have_count(0)
    assert not Annotation.objects.filter(article=article).exists()
    assert page.get_by_role("button", name="Undo").is_disabled()


def test_an_annotator_never_sees_another_annotators_spans(open_page, alice, bob, rita, article):
    mine = make_span(article, alice, "Selon Reuters")
    theirs = make_span(article, bob, "OpenAI a signé un accord", note="bob-only-note")
    page = open_annotator(open_page(alice), article)

    expect(highlights(page, mine.pk)).to_have_count(1)
    expect(highlights(page, theirs.pk)).to_have_count(0)
    expect(page.locator(".span-item")).to_have_count(1)
    assert "bob-only-note" not in page.content()

    # Not even a reviewer sees bob's spans on the annotate page (adjudication is elsewhere).
    review = open_annotator(open_page(rita), article)
    expect(review.locator(f"{TEXT} mark")).to_have_count(0)


def test_markup_in_titles_text_and_notes_is_shown_as_text(open_page, alice, vocabulary):
    img = "<img src=x onerror=window.__xss=1>"
    script = "<script>window.__xss=1</script>"
    article = Article.objects.create(
        external_id="xss", title=f"{img}{script}", text=f"Avant {img} milieu {script} après.", language="fr"
    )
    span = make_span(article, alice, script)
    # A note holding markup (as an old import might have stored it) is shown as typed.
    Annotation.objects.filter(pk=span.pk).update(note=f"{img}{script}")
    page = open_annotator(open_page(alice), article)

    expect(page.get_by_test_id("article-title")).to_have_text(f"{img}{script}")
    expect(page.locator(TEXT)).to_have_text(f"Avant {img} milieu {script} après.")
    expect(highlights(page, span.pk)).to_have_text(script)
    select_from_list(page, script)
    expect(page.locator("#f-note")).to_have_value(f"{img}{script}")

    page.locator("#f-note").fill(f"{script} et {img}")
    save(page)
    expect_saved(page)
    page.get_by_test_id("source-search").fill(img)
    expect(page.locator("#source-results .option-create")).to_contain_text(img)
    assert page.evaluate("window.__xss") is None
    assert page.locator(f"{TEXT} img, .side-panel img, h1 img").count() == 0

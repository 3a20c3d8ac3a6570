"""Selecting text (mouse and keyboard) stores the right code point offsets."""

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
    select_utf16,
    status,
)

pytestmark = pytest.mark.browser


def utf16_index(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le")) // 2


@pytest.mark.parametrize(
    ("external_id", "phrase", "typed"),
    [
        pytest.param(
            "000_4cc92aea613cc5b2",
            "OpenAI—pembuat ChatGPT—telah menandatangani perjanjian signifikan dengan Google Cloud",
            "Reuters",
            id="indonesian",
        ),
        pytest.param(
            "001_1332d41e4d87d38b",
            "cette coopération discute à huis clos depuis un certain temps",
            "Reuters",
            id="french",
        ),
        pytest.param(
            "004_c22e451cfeffb7b0",
            "أعلنت أوبن أي آي أنها ستعتمد على منصة جوجل السحابية",
            "رويترز",
            id="arabic",
        ),
    ],
)
def test_a_phrase_selected_with_the_mouse_is_saved_as_a_claim_linked_to_reuters(
    open_page, alice, seeds, external_id, phrase, typed
):
    article = Article.objects.get(external_id=external_id)
    assert phrase in article.text
    page = open_annotator(open_page(alice), article)

    mouse_select(page, phrase)
    page.keyboard.press("c")
    expect(page.locator(f"{TEXT} mark[data-annotation-id]")).to_have_count(1)
    page.get_by_test_id("source-search").fill(typed)
    page.locator("#source-results [role=option][data-source=reuters]").click()
    expect(page.locator(".link-row .link-source")).to_have_text(["Reuters"])
    save(page)
    expect_saved(page)
    page.reload()
    page.wait_for_selector("body[data-ready='1']")

    annotation = Annotation.objects.get(article=article, annotator=alice)
    assert annotation.text == phrase
    assert article.text[annotation.start : annotation.end] == phrase
    assert annotation.label.slug == "claim"
    assert [(link.source.slug, link.relation) for link in annotation.source_links.all()] == [("reuters", "attributed")]
    expect(highlights(page, annotation.pk)).to_have_text(phrase)
    if article.direction == "rtl":
        # The panel sits on the left of right-to-left text, where the lines end.
        panel = page.locator(".side-panel").bounding_box()
        text = page.locator(TEXT).bounding_box()
        assert panel["x"] + panel["width"] <= text["x"]


def test_offsets_after_emoji_and_across_a_no_break_space_are_code_points(open_page, alice, vocabulary):
    text = "Fête 🎉😀 réussie ! Le prix\u00a0total atteint 12 € selon Reuters. Fin 😀."
    phrase = "Le prix\u00a0total atteint 12 €"
    article = Article.objects.create(external_id="emoji", title="Emoji", text=text, language="fr")
    start = text.index(phrase)
    assert utf16_index(text, start) == start + 2  # two emoji before: the browser counts two more
    page = open_annotator(open_page(alice), article)

    mouse_select(page, phrase)
    page.keyboard.press("c")
    expect(page.locator(f"{TEXT} mark[data-annotation-id]")).to_have_count(1)

    stored = Annotation.objects.get(article=article)
    assert (stored.start, stored.end) == (start, start + len(phrase))
    assert stored.text == phrase == text[stored.start : stored.end]

    # A selection from inside 🎉 to inside 😀 (between the halves of the surrogate pairs)
    # grows to whole characters.
    party = text.index("🎉")
    select_utf16(page, utf16_index(text, party) + 1, utf16_index(text, party + 1) + 1)
    page.keyboard.press("a")
    expect(page.locator(".span-item")).to_have_count(2)
    emoji = Annotation.objects.get(article=article, label__slug="attribution")
    assert (emoji.start, emoji.end, emoji.text) == (party, party + 2, "🎉😀")
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    expect(highlights(page, emoji.pk)).to_have_text("🎉😀")
    expect(highlights(page, stored.pk)).to_have_text(phrase)


def test_a_span_can_be_made_and_described_with_the_keyboard_only(open_page, alice, reuters):
    text = "Alpha beta gamma delta epsilon.\nSecond line here."
    article = Article.objects.create(external_id="keys", title="Keys", text=text, language="en")
    page = open_annotator(open_page(alice), article)
    keyboard = page.keyboard

    for _ in range(40):
        keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.testid") == "article-text":
            break
    else:
        pytest.fail("Tab never reached the article text")
    for _ in range(6):
        keyboard.press("ArrowRight")
    for _ in range(10):
        keyboard.press("Shift+ArrowRight")
    assert page.evaluate("document.getSelection().toString()") == "beta gamma"
    keyboard.press("c")
    expect(page.locator(".span-item")).to_have_count(1)

    span = Annotation.objects.get(article=article)
    assert (span.start, span.end, span.text, span.label.slug) == (6, 16, "beta gamma", "claim")

    # Tab on into the panel, pick Reuters from the registry, save with Ctrl+Enter.
    for _ in range(30):
        keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "source-search":
            break
    else:
        pytest.fail("Tab never reached the source search")
    keyboard.type("reut")
    expect(page.locator("#source-results [data-source=reuters]")).to_be_visible()
    keyboard.press("Enter")
    expect(page.locator(".link-row .link-source")).to_have_text(["Reuters"])
    keyboard.press("Control+Enter")
    expect_saved(page)
    assert [link.source.slug for link in span.source_links.all()] == ["reuters"]

    # Esc cancels a selection, a second Esc closes the span; a label key then has nothing to tag.
    page.locator(TEXT).focus()
    keyboard.press("Shift+ArrowRight")
    keyboard.press("Escape")
    assert page.evaluate("document.getSelection().isCollapsed")
    keyboard.press("Escape")
    expect(page.locator("[data-span-form]")).to_be_hidden()
    keyboard.press("a")
    expect(status(page)).to_contain_text("Select some text")
    assert Annotation.objects.filter(article=article).count() == 1

    # Enter with the caret inside the highlight opens the span; a label key relabels it;
    # Delete deletes it.
    keyboard.press("Control+Home")
    for _ in range(8):
        keyboard.press("ArrowRight")
    keyboard.press("Enter")
    expect(page.get_by_test_id("span-text")).to_have_text("beta gamma")
    keyboard.press("a")
    expect(page.locator("[data-span-form] .label-chip")).to_have_text("Attribution")
    span.refresh_from_db()
    assert span.label.slug == "attribution"
    keyboard.press("Delete")
    expect(page.locator(".span-item")).to_have_count(0)
    assert not Annotation.objects.filter(article=article).exists()

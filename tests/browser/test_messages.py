"""Messages sit beside the action that raised them, never over the text, and never go stale."""

import pytest
from playwright.sync_api import expect

from annotations import services
from annotations.models import Article
from tests.browser.helpers import expect_saved, open_annotator, save, select_from_list, status

pytestmark = pytest.mark.browser

PHRASE = "OpenAI a signé un accord"

_OVERLAP = """
([a, b]) => {
  const r = document.querySelector(a).getBoundingClientRect();
  const s = document.querySelector(b).getBoundingClientRect();
  return r.left < s.right && s.left < r.right && r.top < s.bottom && s.top < r.bottom;
}
"""


@pytest.fixture
def span(alice, vocabulary):
    article = Article.objects.create(
        external_id="messages", title="Messages", text=f"Selon Reuters, {PHRASE} avec Google.\n" * 30, language="fr"
    )
    start = article.text.index(PHRASE)
    return services.annotation_create(
        article=article, annotator=alice, start=start, end=start + len(PHRASE), label="claim"
    )


def test_a_refused_save_replaces_the_earlier_saved_message(open_page, alice, span, reuters):
    page = open_annotator(open_page(alice), span.article)
    select_from_list(page, PHRASE)
    page.locator("#f-note").fill("first")
    save(page)
    expect_saved(page)

    # Refused in the browser: a javascript: link.
    page.get_by_test_id("source-search").fill("Reuters")
    page.locator("#source-results [data-source=reuters]").click()
    page.locator(".link-row input[name=url]").fill("javascript:alert(1)")
    save(page)
    expect(status(page)).to_contain_text("Not saved")
    expect(page.get_by_text("Saved.", exact=True)).to_have_count(0)

    page.locator("#f-note").fill("second")
    page.locator(".link-row input[name=url]").fill("https://www.reuters.com/")
    save(page)
    expect_saved(page)
    # Refused by the server: a host name the browser accepts.
    page.locator(".link-row input[name=url]").fill("http://-bad-.example/report")
    save(page)
    expect(status(page)).to_contain_text("Not saved")
    expect(page.get_by_text("Saved.", exact=True)).to_have_count(0)
    expect(page.locator("[data-testid=status]:visible")).to_have_count(1)
    # The message is the panel's own, under its Save button.
    assert page.locator("[data-span-form] [data-testid=status]").is_visible()


def test_a_conflict_message_covers_neither_the_text_nor_the_sources(open_page, alice, span):
    first = open_annotator(open_page(alice), span.article)
    second = open_annotator(open_page(alice, viewport={"width": 1280, "height": 700}), span.article)
    select_from_list(first, PHRASE)
    select_from_list(second, PHRASE)
    first.locator("#f-note").fill("first tab")
    save(first)
    expect_saved(first)

    second.locator("#f-note").fill("second tab")
    save(second)
    expect(status(second)).to_contain_text("changed elsewhere")
    message = "[data-message]:not([hidden])"
    assert not second.evaluate(_OVERLAP, [message, "[data-testid=article-text]"])
    assert not second.evaluate(_OVERLAP, [message, "fieldset.sources"])
    assert second.evaluate("(sel) => getComputedStyle(document.querySelector(sel)).position", message) == "static"

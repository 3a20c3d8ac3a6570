"""Saving: conflicts, network failures, URL checks and the done mark."""

import re

import pytest
from playwright.sync_api import expect

from annotations import services
from annotations.models import Annotation, Article, Completion
from tests.browser.helpers import expect_saved, open_annotator, save, select_from_list, status

pytestmark = pytest.mark.browser

PHRASE = "OpenAI a signé un accord"


@pytest.fixture
def span(alice, vocabulary):
    article = Article.objects.create(
        external_id="saving", title="Saving", text=f"Selon Reuters, {PHRASE} avec Google.", language="fr"
    )
    start = article.text.index(PHRASE)
    return services.annotation_create(
        article=article, annotator=alice, start=start, end=start + len(PHRASE), label="claim"
    )


def test_a_stale_save_offers_to_overwrite_or_take_theirs(open_page, alice, span):
    first = open_annotator(open_page(alice), span.article)
    second = open_annotator(open_page(alice), span.article)
    select_from_list(first, PHRASE)
    select_from_list(second, PHRASE)

    first.locator("#f-note").fill("first tab")
    save(first)
    expect_saved(first)

    second.locator("#f-note").fill("second tab")
    save(second)
    conflict = second.locator("[data-conflict]")
    expect(conflict).to_be_visible()
    expect(conflict).to_contain_text("changed elsewhere")
    expect(conflict).to_contain_text("note")
    expect(status(second)).to_contain_text("changed elsewhere")
    span.refresh_from_db()
    assert (span.note, span.version) == ("first tab", 2)

    second.get_by_role("button", name="Overwrite with mine").click()
    expect_saved(second)
    expect(conflict).to_be_hidden()
    span.refresh_from_db()
    assert (span.note, span.version) == ("second tab", 3)

    # The first tab is stale now: it takes theirs instead.
    first.locator("#f-note").fill("first again")
    save(first)
    first.get_by_role("button", name="Reload theirs").click()
    expect(first.locator("#f-note")).to_have_value("second tab")
    span.refresh_from_db()
    assert span.note == "second tab"


def test_a_failed_save_keeps_the_edit_until_it_is_saved(open_page, alice, span):
    page = open_annotator(open_page(alice), span.article)
    offline = re.compile(r".*/api/annotations/\d+/$")
    page.route(offline, lambda route: route.abort() if route.request.method == "PATCH" else route.continue_())
    select_from_list(page, PHRASE)

    page.locator("#f-note").fill("typed while offline")
    save(page)
    expect(status(page)).to_contain_text("Not saved")
    expect(page.get_by_role("button", name="Retry")).to_be_visible()
    draft = page.evaluate(f"localStorage.getItem('factcheck:draft:{span.pk}')")
    assert "typed while offline" in draft
    span.refresh_from_db()
    assert span.note == ""

    # Closing the tab loses nothing: the page comes back with the draft.
    page.reload()
    page.wait_for_selector("body[data-ready='1']")
    expect(page.locator(".span-item.has-draft")).to_have_count(1)
    select_from_list(page, PHRASE)
    expect(page.locator("[data-draft-notice]")).to_be_visible()
    expect(page.locator("#f-note")).to_have_value("typed while offline")

    save(page)
    expect(status(page)).to_contain_text("Not saved")
    page.unroute(offline)
    page.get_by_role("button", name="Retry").click()
    expect_saved(page)
    span.refresh_from_db()
    assert span.note == "typed while offline"
    assert page.evaluate(f"localStorage.getItem('factcheck:draft:{span.pk}')") is None


def test_report_urls_must_be_http_and_server_errors_show_by_the_field(open_page, alice, span, reuters):
    page = open_annotator(open_page(alice), span.article)
    select_from_list(page, PHRASE)
    page.get_by_test_id("source-search").fill("Reuters")
    page.locator("#source-results [data-source=reuters]").click()
    url = page.locator(".link-row input[name=url]")
    error = page.locator(".link-row [data-link-error=url]")

    url.fill("javascript:alert(1)")
    save(page)
    expect(error).to_contain_text("Only http:// and https://")
    expect(url).to_have_attribute("aria-invalid", "true")
    assert not span.source_links.exists()

    # The browser accepts this host name; the server does not, and says so by the field.
    url.fill("http://-bad-.example/report")
    save(page)
    expect(error).not_to_be_empty()
    expect(status(page)).to_contain_text("Not saved")
    assert not span.source_links.exists()

    page.locator(".link-row select[name=relation]").select_option("supports")
    url.fill("https://www.reuters.com/world/report")
    save(page)
    expect_saved(page)
    expect(error).to_be_empty()
    assert [(link.source.slug, link.url, link.relation) for link in span.source_links.all()] == [
        ("reuters", "https://www.reuters.com/world/report", "supports")
    ]

    page.get_by_role("button", name="Remove Reuters").click()
    save(page)
    expect_saved(page)
    assert not span.source_links.exists()


def test_the_article_can_be_marked_done_and_back(open_page, alice, span):
    page = open_annotator(open_page(alice), span.article)
    button = page.get_by_test_id("done-button")

    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")
    assert Completion.objects.filter(article=span.article, annotator=alice).exists()

    button.click()
    expect(button).to_have_attribute("aria-pressed", "false")
    assert not Completion.objects.filter(article=span.article, annotator=alice).exists()
    assert Annotation.objects.filter(pk=span.pk).exists()

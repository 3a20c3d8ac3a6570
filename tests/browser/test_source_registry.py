"""The shared source registry from the span panel: picking is one keystroke, adding never is."""

import pytest
from playwright.sync_api import expect

from annotations import services
from annotations.models import Article, Source
from tests.browser.helpers import expect_saved, open_annotator, save, select_from_list

pytestmark = pytest.mark.browser

PHRASE = "OpenAI a signé un accord"


@pytest.fixture
def span(alice, vocabulary):
    article = Article.objects.create(
        external_id="registry", title="Registry", text=f"Selon Reuters, {PHRASE} avec Google.", language="fr"
    )
    start = article.text.index(PHRASE)
    return services.annotation_create(
        article=article, annotator=alice, start=start, end=start + len(PHRASE), label="claim"
    )


def test_it_never_adds_a_source_to_the_registry_on_one_keystroke(open_page, alice, span, reuters):
    page = open_annotator(open_page(alice), span.article)
    select_from_list(page, PHRASE)
    search = page.get_by_test_id("source-search")

    # While a source matches, it is the default; the "add" entry below it only opens a form.
    search.fill("Reut")
    expect(page.locator("#source-results [data-source=reuters]")).to_have_class("is-active")
    search.press("ArrowDown")
    expect(page.locator("#source-results .option-create")).to_have_class("option-create is-active")
    search.press("Enter")
    form = page.locator("[data-source-new]")
    expect(form).to_be_visible()
    expect(form.locator("[name=source_name]")).to_have_value("Reut")
    assert list(Source.objects.values_list("slug", flat=True)) == ["reuters"]
    expect(page.locator(".link-row")).to_have_count(0)

    # Cancel (or Esc) leaves the registry alone; Enter in the search picks the match.
    page.get_by_role("button", name="Cancel").click()
    expect(form).to_be_hidden()
    search.fill("Reut")
    expect(page.locator("#source-results [data-source=reuters]")).to_be_visible()
    search.press("Enter")
    expect(page.locator(".link-row .link-source")).to_have_text(["Reuters"])
    assert Source.objects.count() == 1


def test_a_missing_source_is_added_with_its_kind_and_homepage_once_confirmed(open_page, alice, span, reuters):
    page = open_annotator(open_page(alice), span.article)
    select_from_list(page, PHRASE)

    page.get_by_test_id("source-search").fill("Kompas")
    page.locator("#source-results .option-create").click()
    form = page.locator("[data-source-new]")
    form.locator("[name=source_kind]").select_option("newspaper")
    form.locator("[name=source_homepage]").fill("javascript:alert(1)")
    form.get_by_role("button", name="Add to the registry").click()
    expect(form.locator("[data-source-error=homepage]")).to_contain_text("Only http:// and https://")
    assert not Source.objects.filter(name="Kompas").exists()

    form.locator("[name=source_homepage]").fill("https://www.kompas.com/")
    form.locator("[name=source_homepage]").press("Enter")
    expect(form).to_be_hidden()
    expect(page.locator(".link-row .link-source")).to_have_text(["Kompas"])
    save(page)
    expect_saved(page)

    source = Source.objects.get(name="Kompas")
    assert (source.kind, source.homepage, source.created_by) == ("newspaper", "https://www.kompas.com/", alice)
    assert [link.source for link in span.source_links.all()] == [source]

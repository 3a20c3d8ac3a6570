"""The source picker marks sources that staff have not confirmed, so a look-alike added by an
annotator is never taken for a known outlet."""

import pytest
from playwright.sync_api import expect

from annotations import services
from annotations.models import Article, Source
from tests.browser.helpers import open_annotator, select_from_list

pytestmark = pytest.mark.browser

PHRASE = "OpenAI a signé un accord"


def test_the_picker_shows_which_sources_are_unconfirmed(open_page, alice, reuters):
    Source.objects.create(slug="reuters-news", name="Reuters News", aliases=["رويترز نيوز"], created_by=alice)
    article = Article.objects.create(
        external_id="picker", title="Picker", text=f"Selon Reuters, {PHRASE}.", language="fr"
    )
    start = article.text.index(PHRASE)
    services.annotation_create(article=article, annotator=alice, start=start, end=start + len(PHRASE), label="claim")

    page = open_annotator(open_page(alice), article)
    select_from_list(page, PHRASE)
    page.get_by_test_id("source-search").fill("Reuters")
    real = page.locator("#source-results [data-source=reuters]")
    copy = page.locator("#source-results [data-source=reuters-news]")
    expect(copy).to_contain_text("unconfirmed")
    expect(real).to_be_visible()
    expect(real.locator(".option-unconfirmed")).to_have_count(0)

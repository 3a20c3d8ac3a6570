"""The annotate page is the user's own layer, and moves through the article list in its order."""

import pytest
from playwright.sync_api import expect

from annotations.models import Article
from annotations.review.workflow import gold_accept
from annotations.services import annotation_create
from tests.browser.helpers import TEXT, open_annotator, select_from_list, select_utf16

pytestmark = pytest.mark.browser


def test_gold_spans_stay_out_of_my_spans_and_my_counts(open_page, article, rita, bob):
    for start, end in ((0, 13), (15, 40), (43, 50)):
        annotation_create(article=article, annotator=rita, start=start, end=end, label="claim")
    theirs = annotation_create(article=article, annotator=bob, start=15, end=40, label="claim")
    gold = gold_accept(reviewer=rita, annotation_id=theirs.pk)
    assert gold.annotator == rita and gold.is_gold

    page = open_annotator(open_page(rita), article)
    expect(page.locator("[data-span-count]")).to_have_text("3")
    expect(page.locator(".span-item")).to_have_count(3)
    expect(page.locator(f'{TEXT} [data-annotation-id="{gold.pk}"]')).to_have_count(0)

    page.goto("/")
    expect(page.locator(f'tr[data-article-id="{article.pk}"] [data-testid=my-annotations]')).to_have_text("3")


def test_an_attribution_shows_only_the_fields_that_apply(open_page, alice, article):
    annotation_create(article=article, annotator=alice, start=0, end=13, label="attribution")
    annotation_create(article=article, annotator=alice, start=15, end=40, label="claim")
    page = open_annotator(open_page(alice), article)

    select_from_list(page, "Selon Reuters")
    for name in ("Claim type", "Verdict", "Check-worthy"):
        expect(page.locator("[data-span-form]").get_by_text(name, exact=True)).to_be_hidden()
    expect(page.locator("#f-note")).to_be_visible()
    expect(page.get_by_test_id("source-search")).to_be_visible()

    select_from_list(page, "OpenAI a signé un accord.")
    expect(page.locator("#f-verdict")).to_be_visible()
    expect(page.locator("#f-claim-type")).to_be_visible()


def test_next_and_previous_follow_the_filtered_list_by_button_and_key(open_page, alice, vocabulary):
    def make(n, language):
        return Article.objects.create(
            external_id=f"nav-{n}", title=f"Article {n}", text=f"Texte {n}.", language=language
        )

    first, _, second, third = make(1, "fr"), make(2, "id"), make(3, "fr"), make(4, "fr")
    page = open_page(alice)
    page.goto("/?language=fr")  # alice's only project opens, with the filter
    page.get_by_role("link", name="Article 1").click()
    page.wait_for_selector("body[data-ready='1']")
    assert page.url.endswith(f"/articles/{first.pk}/?language=fr")
    expect(page.get_by_test_id("previous-article")).to_have_attribute("aria-disabled", "true")

    page.get_by_test_id("next-article").click()
    expect(page.get_by_test_id("article-title")).to_have_text("Article 3")  # Article 2 is Indonesian
    page.wait_for_selector("body[data-ready='1']")
    page.keyboard.press("}")
    expect(page.get_by_test_id("article-title")).to_have_text("Article 4")
    page.wait_for_selector("body[data-ready='1']")
    assert page.url.endswith(f"/articles/{third.pk}/?language=fr")
    expect(page.get_by_test_id("next-article")).to_have_attribute("aria-disabled", "true")
    page.keyboard.press("{")
    expect(page.get_by_test_id("article-title")).to_have_text("Article 3")
    assert page.url.endswith(f"/articles/{second.pk}/?language=fr")
    page.wait_for_selector("body[data-ready='1']")

    # Marking it done says how to go on; the list link keeps the filter.
    page.get_by_test_id("done-button").click()
    expect(page.get_by_test_id("status").filter(visible=True)).to_contain_text("Marked as done. Next article")
    expect(page.get_by_role("link", name="← Seed corpus")).to_have_attribute("href", "/projects/seed/?language=fr")
    # Label keys still work beside the article keys.
    select_utf16(page, 0, 5)
    page.keyboard.press("c")
    expect(page.locator(".span-item")).to_have_count(1)

"""In the browser: a claim made from the French CoreWeave span is found from the Arabic
span through "Same as…", a reviewer sets its verdict and downloads its ClaimReview."""

import json

import pytest
from playwright.sync_api import expect

from annotations.claims.models import Claim
from annotations.claims.services import claim_create
from annotations.models import Annotation, Article
from tests.browser.helpers import highlights, mouse_select, open_annotator

pytestmark = pytest.mark.browser

FRENCH = "L'accord d'environ 12 milliards de dollars avec Coreweave en mars"


def test_a_claim_travels_from_french_to_arabic_to_its_claimreview(open_page, alice, bob, vera, seed_span, tmp_path):
    # Look-alikes in the project: the same amount, the same year, other claims.
    for key in ("openai-revenue", "google-cloud-revenue"):
        claim_create(user=alice, annotation=seed_span(alice, key, 0))
    french = Article.objects.get(external_id="001_1332d41e4d87d38b")

    # alice marks the French span and makes a claim of it.
    page = open_annotator(open_page(alice), french)
    mouse_select(page, FRENCH)
    page.keyboard.press("c")
    box = page.locator("[data-claim-box]")
    expect(box).to_be_visible()
    expect(box.locator("[data-claim-current]")).to_have_text("This span is not part of a claim yet.")
    box.get_by_role("button", name="New claim").click()
    expect(box.get_by_test_id("span-claim")).to_have_text(FRENCH)
    claim = Claim.objects.get(statement=FRENCH)

    # bob opens his Arabic span and finds the claim with the keyboard.
    arabic_span = seed_span(bob, "coreweave-deal", 1)
    page = open_annotator(open_page(bob), Article.objects.get(external_id="004_c22e451cfeffb7b0"))
    highlights(page, arabic_span.pk).first.click()
    expect(page.get_by_test_id("span-text")).to_have_text(arabic_span.text)
    same_as = page.get_by_role("button", name="Same as…")
    same_as.focus()
    page.keyboard.press("Enter")
    first = page.locator(".claim-match").first
    expect(first).to_be_focused()
    # Escape closes the list (not the span), arrows walk it.
    page.keyboard.press("Escape")
    expect(first).to_be_hidden()
    expect(same_as).to_be_focused()
    expect(page.get_by_test_id("span-text")).to_have_text(arabic_span.text)
    page.keyboard.press("Enter")
    expect(first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator(".claim-match").nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    expect(first).to_be_focused()
    expect(first).to_contain_text(FRENCH)
    expect(first).to_contain_text("same amount: 12 billion USD")
    expect(first.locator(".claim-match-statement")).to_have_attribute("dir", "auto")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("span-claim")).to_have_text(FRENCH)
    assert sorted(claim.appearances.values_list("annotation_id", flat=True)) == sorted(
        [Annotation.objects.get(text=FRENCH).pk, arabic_span.pk]
    )

    # vera, a reviewer, sets the verdict on the claim page and downloads the ClaimReview.
    page = open_page(vera)
    page.goto(f"/projects/seed/claims/{claim.pk}/")
    expect(page.locator(".appearance")).to_have_count(2)
    expect(page.locator('.appearance[lang="ar"]')).to_have_attribute("dir", "rtl")
    page.get_by_label("Verdict", exact=True).select_option("mostly-true")
    page.get_by_label("Status").select_option("published")
    page.get_by_label("Rating explanation").fill("A five-year contract worth $11.9 billion.")
    page.get_by_label("Review URL (the published fact-check)").fill("https://factcheck.example.org/coreweave")
    page.get_by_role("button", name="Save verdict").click()
    expect(page.get_by_test_id("claim-verdict")).to_contain_text("Mostly true")
    expect(page.get_by_test_id("claimreview-preview")).to_contain_text('"alternateName": "Mostly true"')

    with page.expect_download() as download:
        page.get_by_test_id("claimreview-download").click()
    path = tmp_path / "claimreview.jsonl"
    download.value.save_as(path)
    [record] = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert record["@type"] == "ClaimReview"
    assert record["claimReviewed"] == FRENCH
    assert record["url"] == "https://factcheck.example.org/coreweave"
    assert record["reviewRating"]["ratingValue"] == 4
    assert {a["inLanguage"] for a in record["itemReviewed"]["appearance"]} == {"fr", "ar"}

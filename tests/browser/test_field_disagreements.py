"""Adjudication shows field disagreements: which field, whose value, and counts them.

Set FIELDS_SCREENSHOT=<path.png> to keep a screenshot of the page.
"""

import os

import pytest
from playwright.sync_api import expect

from annotations.services import annotation_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_annotators_who_marked_the_same_span_differently_are_a_disagreement(
    open_page, article, reuters, alice, bob, rita
):
    from annotations.models import Source

    cnbc = Source.objects.create(slug="cnbc", name="CNBC", homepage="https://www.cnbc.com/", kind="broadcaster")
    annotation_create(
        article=article, annotator=alice, start=15, end=40, label="claim", claim_type="quantity",
        verdict="mostly-true", checkworthy=True, source_links=[{"source": reuters.slug}],
    )  # fmt: skip
    annotation_create(
        article=article, annotator=bob, start=15, end=40, label="claim", claim_type="event",
        checkworthy=True, source_links=[{"source": cnbc.slug}],
    )  # fmt: skip
    annotation_create(article=article, annotator=alice, start=43, end=50, label="claim", claim_type="event")
    annotation_create(article=article, annotator=bob, start=43, end=50, label="claim", claim_type="event")

    page = open_page(rita, viewport={"width": 1400, "height": 900})
    page.goto(f"/review/articles/{article.pk}/")
    page.wait_for_selector("body[data-ready='1']")
    rows = page.locator("[data-testid=adjudication-grid] tbody tr")
    expect(rows).to_have_count(2)
    row = rows.nth(0)
    expect(row).to_have_class("disagree fields-differ")
    expect(row.locator(".row-badge")).to_have_text(["fields differ"])
    fields = row.locator(".field-disagreements li")
    expect(fields).to_have_text(
        [
            "Claim type: alice Quantity bob Event",
            "Verdict: alice Mostly true bob Unchecked",
            "Sources: alice Reuters bob CNBC",
        ]
    )
    expect(row.locator(".span-card .differs")).not_to_have_count(0)
    expect(rows.nth(1)).to_have_class("agree")
    expect(page.get_by_test_id("review-summary")).to_contain_text("0 span disagreements · 1 field disagreement")

    page.get_by_test_id("only-disagreements").check()
    expect(rows).to_have_count(1)
    expect(rows.nth(0).locator(".field-disagreements")).to_be_visible()
    if os.environ.get("FIELDS_SCREENSHOT"):
        page.get_by_test_id("only-disagreements").uncheck()
        page.screenshot(path=os.environ["FIELDS_SCREENSHOT"])

"""The annotate page's suggestions: dashed outlines, ] / [ to move, Enter to accept, x to dismiss."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from annotations import services
from annotations.models import Annotation, Article, Dismissal, Relation
from tests.browser.helpers import open_annotator, status

pytestmark = pytest.mark.browser

FRENCH = "001_1332d41e4d87d38b"
CLAIM = "cette coopération discute à huis clos depuis un certain temps"


def _open(page, article):
    open_annotator(page, article)
    page.wait_for_selector("body[data-suggestions-ready='1']")
    return page


def _focus(page, text: str) -> None:
    card = page.locator("[data-suggestion-text]")
    for _ in range(60):
        page.keyboard.press("]")
        if card.count() and card.text_content() == text:
            return
    raise AssertionError(f"no suggestion {text!r} on the page")


def test_one_key_accepts_selon_reuters_its_claim_the_relation_and_the_reuters_link(open_page, alice, seeds):
    article = Article.objects.get(external_id=FRENCH)
    page = _open(open_page(alice), article)
    expect(page.locator(".suggestion-box").first).to_be_visible()
    _focus(page, "Selon Reuters")
    expect(page.locator(".suggestion-box.is-focused").first).to_be_visible()
    page.screenshot(path="var/suggestions-focused.png")
    page.keyboard.press("Enter")
    expect(status(page)).to_have_text("Attribution, claim and link saved.")

    attribution = Annotation.objects.get(annotator=alice, label__slug="attribution")
    claim = Annotation.objects.get(annotator=alice, label__slug="claim")
    assert (attribution.text, claim.text) == ("Selon Reuters", CLAIM)
    assert Relation.objects.filter(from_annotation=attribution, to_annotation=claim, type="attribution").exists()
    # Both are ordinary spans on the page now, and their suggestions are gone.
    for span in (attribution, claim):
        expect(page.locator(f'[data-testid=article-text] [data-annotation-id="{span.pk}"]').first).to_be_visible()

    # The export has the relation and the Reuters link on both spans.
    response = page.request.get(f"/api/export/?format=jsonl&article={article.pk}")
    assert response.ok
    (record,) = [json.loads(line) for line in response.text().splitlines() if line.strip()]
    relation = Relation.objects.get(from_annotation=attribution)
    assert record["relations"] == [{"id": relation.pk, "from": attribution.pk, "to": claim.pk, "type": "attribution"}]
    links = {a["text"]: [link["source"] for link in a["source_links"]] for a in record["annotations"]}
    assert links == {"Selon Reuters": ["reuters"], CLAIM: ["reuters"]}


def test_x_dismisses_the_focused_suggestion_for_good(open_page, alice, seeds):
    article = Article.objects.get(external_id=FRENCH)
    page = _open(open_page(alice), article)
    _focus(page, "Selon Reuters")
    page.keyboard.press("x")
    expect(status(page)).to_have_text("Suggestion dismissed.")
    assert Dismissal.objects.filter(user=alice, article=article).count() == 1
    page.reload()
    page.wait_for_selector("body[data-suggestions-ready='1']")
    texts = page.evaluate("Array.from(document.querySelectorAll('.suggestion-box')).map(b => b.dataset.suggestionId)")
    assert Dismissal.objects.get(user=alice).suggestion not in texts


def test_accept_all_attributions_then_undo_removes_the_last_span(open_page, alice, seeds):
    article = Article.objects.get(external_id="004_c22e451cfeffb7b0")  # Arabic, right to left
    page = _open(open_page(alice), article)
    page.get_by_role("button", name="Accept all attributions").click()
    expect(status(page)).to_contain_text("attributions accepted")
    page.screenshot(path="var/suggestions-arabic.png")
    attributions = Annotation.objects.filter(annotator=alice, label__slug="attribution")
    assert attributions.count() == 5
    assert Relation.objects.filter(from_annotation__in=attributions).count() == 5
    assert set(attributions.get(text="أعلنت مايكروسوفت").source_links.values_list("source__slug", flat=True)) == {
        "microsoft"
    }
    spans = Annotation.objects.filter(annotator=alice).count()
    page.get_by_role("button", name="Undo").click()
    expect(status(page)).to_contain_text("Undone")
    assert Annotation.objects.filter(annotator=alice).count() == spans - 1


def test_the_attribution_s_panel_links_and_unlinks_a_claim_and_draws_the_link(open_page, alice, seeds):
    article = Article.objects.get(external_id=FRENCH)
    start = article.text.index("Selon Reuters")
    attribution = services.annotation_create(
        article=article, annotator=alice, start=start, end=start + len("Selon Reuters"), label="attribution"
    )
    start = article.text.index(CLAIM)
    claim = services.annotation_create(
        article=article, annotator=alice, start=start, end=start + len(CLAIM), label="claim"
    )
    page = _open(open_page(alice), article)
    page.locator(".span-item", has_text="Selon Reuters").first.click()
    panel = page.locator(".relation-panel")
    expect(panel).to_be_visible()
    panel.get_by_role("button", name="Link", exact=True).click()
    expect(status(page)).to_have_text("Linked.")
    relation = Relation.objects.get(from_annotation=attribution, to_annotation=claim)
    expect(panel.locator(f'[data-relation-id="{relation.pk}"]')).to_contain_text(CLAIM[:40])
    expect(page.locator(f'.relation-lines path[data-relation-id="{relation.pk}"]')).to_have_count(1)
    page.screenshot(path="var/relations-panel.png")
    panel.get_by_role("button", name="Unlink this claim").click()
    expect(status(page)).to_have_text("Unlinked.")
    assert not Relation.objects.exists()

"""The adjudication page in a real browser: accept one span, reject another, add one by selection.

Set REVIEW_SCREENSHOT=<path.png> to keep a screenshot of the page after the run.
"""

import os

import pytest
from playwright import sync_api

from annotations.models import Annotation, ReviewDecision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Collects content-security-policy violations; init scripts are not page scripts, the CSP does not apply.
WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__cspViolations.push(e.violatedDirective));
"""

SELECT_TEXT = """
(needle) => {
  const box = document.querySelector("[data-testid=article-text]");
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(needle);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + needle.length);
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      return true;
    }
  }
  return false;
}
"""


def test_a_reviewer_accepts_one_span_rejects_another_and_adds_a_gold_span(
    browser, live_server, article, reuters, alice, bob, rita, mark
):
    claim = mark(article, alice, 15, 40, claim_type="event", source_links=[{"source": "reuters"}])
    mark(article, bob, 15, 40, claim_type="event")
    attribution = mark(article, alice, 0, 13, "attribution")

    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="en-GB")
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if msg.type == "error" and not msg.location.get("url", "").endswith("/favicon.ico")
            else None
        ),
    )

    url = f"/review/articles/{article.pk}/"
    page.goto(f"{live_server.url}/accounts/login/?next={url}")
    page.fill("input[name=username]", "rita")
    page.fill("input[name=password]", "rita-password")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{url}")
    page.wait_for_selector("body[data-ready='1']")

    text = page.locator("[data-testid=article-text]")
    assert text.get_attribute("lang") == "fr" and text.get_attribute("dir") == "ltr"
    assert text.inner_text() == article.text.rstrip("\n") or text.inner_text() == article.text

    # accept alice's claim (bob marked the very same span)
    page.click(f'article[data-annotation-id="{claim.pk}"] button[data-action=accept]')
    page.wait_for_selector(f'article[data-annotation-id="{claim.pk}"][data-decision="accepted"]')
    gold_card = page.locator("article[data-gold='1']")
    assert gold_card.count() == 1
    assert "proposed by alice, bob" in gold_card.inner_text()

    # reject alice's attribution span
    page.click(f'article[data-annotation-id="{attribution.pk}"] button[data-action=reject]')
    page.wait_for_selector(f'article[data-annotation-id="{attribution.pk}"][data-decision="rejected"]')

    # select "Le café" just after the emoji (two UTF-16 units, one code point) and add it as gold
    assert page.evaluate(SELECT_TEXT, "Le café")
    page.wait_for_selector("[data-testid=gold-selection] q")
    assert "(43\u201350)" in page.locator("[data-testid=gold-selection]").inner_text()
    page.select_option("form[data-testid=gold-add] select[name=claim_type]", "quantity")
    page.click("[data-testid=gold-add-button]")
    sync_api.expect(page.locator("article[data-gold='1']")).to_have_count(2)
    assert "Added gold span" in page.locator("[data-testid=review-status]").inner_text()

    # edit the accepted gold span through the annotation API: it belongs to the reviewer
    gold_id = Annotation.objects.get(is_gold=True, start=15).pk
    card = page.locator(f'article[data-gold="1"][data-annotation-id="{gold_id}"]')
    card.locator("button[data-action=edit-gold]").click()
    page.select_option("form.gold-edit select[name=verdict]", "mostly-true")
    page.fill("form.gold-edit textarea[name=note]", "Checked against the Reuters report.")
    page.click("form.gold-edit button[type=submit]")
    sync_api.expect(page.locator("[data-testid=review-status]")).to_have_text(f"Saved gold span #{gold_id}.")
    assert "Mostly true" in card.inner_text()

    # delete the gold span added by selection (the page asks first)
    page.once("dialog", lambda dialog: dialog.accept())
    added = Annotation.objects.get(is_gold=True, start=43).pk
    page.click(f'article[data-annotation-id="{added}"] button[data-action=delete-gold]')
    sync_api.expect(page.locator("article[data-gold='1']")).to_have_count(1)

    assert page.evaluate("window.__cspViolations") == []
    assert errors == []
    context.close()

    gold = Annotation.objects.get(is_gold=True)  # the one added by selection was deleted
    assert (gold.start, gold.end, gold.text, gold.label.slug, gold.annotator.username) == (
        15,
        40,
        "OpenAI a signé un accord.",
        "claim",
        "rita",
    )
    assert (gold.verdict.slug, gold.note, gold.version) == ("mostly-true", "Checked against the Reuters report.", 2)
    assert sorted(gold.proposed_by.values_list("username", flat=True)) == ["alice", "bob"]
    assert [link.source.slug for link in gold.source_links.all()] == ["reuters"]
    removed = Annotation.all_objects.get(pk=added)
    assert (removed.start, removed.end, removed.text, removed.claim_type.slug) == (43, 50, "Le café", "quantity")
    assert removed.deleted_at is not None and removed.is_gold
    decisions = dict(ReviewDecision.objects.values_list("annotation_id", "decision"))
    assert decisions[claim.pk] == "accepted" and decisions[attribution.pk] == "rejected"


def test_an_arabic_article_reads_right_to_left_and_disagreements_can_be_filtered(
    browser, live_server, seeds, alice, bob, carol, rita, mark, client
):
    from annotations.models import Article

    article = Article.objects.get(external_id="004_c22e451cfeffb7b0")
    text = article.text

    def at(phrase: str) -> tuple[int, int]:
        start = text.index(phrase)
        return start, start + len(phrase)

    deal = at("دخلت جوجل رسميًا في شراكة تقنية جديدة مع شركة OpenAI")
    deal_short = at("دخلت جوجل رسميًا في شراكة تقنية جديدة")
    cloud = at("ستعتمد على منصة جوجل السحابية لتشغيل خدمتها الشهيرة تشات جي بي تي")
    who = at("وقد أعلنت أوبن أي آي")
    first = mark(article, alice, *deal, claim_type="event", checkworthy=True, source_links=[{"source": "reuters"}])
    mark(article, bob, *deal, claim_type="event", checkworthy=True)
    short = mark(article, carol, *deal_short, claim_type="other", checkworthy=False)
    for person in (alice, bob, carol):
        mark(article, person, *cloud, claim_type="prediction")
    mark(article, alice, *who, "attribution")

    # The first test signs in through the form; here a forced session is enough.
    client.force_login(rita)
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    page.goto(f"{live_server.url}/review/articles/{article.pk}/")
    page.wait_for_selector("body[data-ready='1']")

    box = page.locator("[data-testid=article-text]")
    assert (box.get_attribute("lang"), box.get_attribute("dir")) == ("ar", "rtl")
    quote = page.locator(f'article[data-annotation-id="{first.pk}"] blockquote')
    assert (quote.get_attribute("dir"), quote.inner_text()) == ("rtl", text[deal[0] : deal[1]])
    rows = page.locator("[data-testid=adjudication-grid] tbody tr")
    assert rows.count() == 3
    assert page.locator("tr.agree").count() == 1 and page.locator("tr.disagree").count() == 2

    page.check("[data-testid=only-disagreements]")
    sync_api.expect(rows).to_have_count(2)
    assert page.locator("tr.agree").count() == 0
    page.uncheck("[data-testid=only-disagreements]")
    sync_api.expect(rows).to_have_count(3)

    page.click(f'article[data-annotation-id="{first.pk}"] button[data-action=accept]')
    page.wait_for_selector(f'article[data-annotation-id="{first.pk}"][data-decision="accepted"]')
    page.click(f'article[data-annotation-id="{short.pk}"] button[data-action=reject]')
    page.wait_for_selector(f'article[data-annotation-id="{short.pk}"][data-decision="rejected"]')
    page.locator("tr.disagree button.where").first.click()
    assert page.locator(".seg.focus").count() >= 1

    if os.environ.get("REVIEW_SCREENSHOT"):
        page.screenshot(path=os.environ["REVIEW_SCREENSHOT"])
    assert page.evaluate("window.__cspViolations") == []
    context.close()
    gold = Annotation.objects.get(is_gold=True)
    assert (gold.start, gold.end) == deal
    assert sorted(gold.proposed_by.values_list("username", flat=True)) == ["alice", "bob"]

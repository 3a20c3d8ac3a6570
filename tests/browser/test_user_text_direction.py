"""User text in any script reads in its own direction: notes, span text, chips, names."""

import pytest
from playwright.sync_api import expect

from annotations.models import Article
from annotations.services import annotation_create
from tests.browser.helpers import open_annotator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTE = "ملاحظة: تحقق من بيان OpenAI الرسمي."

# Where two words of an element's text are drawn: [left, right] of each.
_WORD_BOXES = """
([selector, words]) => {
  const element = document.querySelector(selector);
  const node = element.firstChild;
  return words.map((word) => {
    const at = node.data.indexOf(word);
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + word.length);
    const rect = range.getBoundingClientRect();
    return [rect.left, rect.right];
  });
}
"""


def test_an_arabic_note_on_a_review_card_reads_right_to_left(open_page, seeds, alice, bob, rita):
    article = Article.objects.get(external_id="004_c22e451cfeffb7b0")
    phrase = "دخلت جوجل رسميًا في شراكة تقنية جديدة"
    start = article.text.index(phrase)
    span = annotation_create(
        article=article, annotator=alice, start=start, end=start + len(phrase), label="claim", note=NOTE,
        source_links=[{"source": "reuters"}],
    )  # fmt: skip
    annotation_create(article=article, annotator=bob, start=start, end=start + len(phrase), label="claim")

    page = open_page(rita)
    page.goto(f"/review/articles/{article.pk}/")
    page.wait_for_selector("body[data-ready='1']")
    card = f'article[data-annotation-id="{span.pk}"]'
    note = page.locator(f"{card} .note")
    expect(note).to_have_text(NOTE)
    assert note.get_attribute("dir") == "auto"
    assert note.evaluate("(el) => [getComputedStyle(el).direction, getComputedStyle(el).fontStyle]") == [
        "rtl",
        "normal",
    ]
    # The sentence starts at the right edge: its first word is drawn there, not on the left.
    ((first_left, first_right),) = page.evaluate(_WORD_BOXES, [f"{card} .note", ["ملاحظة"]])
    box = note.evaluate("(el) => { const r = el.getBoundingClientRect(); return [r.left, r.right]; }")
    assert box[1] - first_right < 12 and first_left - box[0] > 40
    # Every element of the card that shows user text has a direction.
    undirected = page.evaluate(
        """(card) => [...document.querySelectorAll(`${card} .quote, ${card} .note, ${card} .label-chip,
                 ${card} .links bdi, thead th:not(:first-child):not(.gold-col)`)]
             .filter((el) => !el.closest('[dir]') && el.tagName !== 'BDI').map((el) => el.outerHTML)""",
        card,
    )
    assert undirected == []


def test_a_cut_arabic_span_in_my_list_ends_on_the_left_with_its_ellipsis(open_page, seeds, alice):
    article = Article.objects.get(external_id="004_c22e451cfeffb7b0")
    start = article.text.index("دخلت جوجل")
    end = start + 200
    annotation_create(article=article, annotator=alice, start=start, end=end, label="attribution")

    page = open_annotator(open_page(alice), article)
    excerpt = page.locator(".span-item .span-text")
    expect(excerpt).to_have_text(article.text[start : start + 160] + "…")
    assert excerpt.evaluate("(el) => getComputedStyle(el).direction") == "rtl"
    # The ellipsis is at the logical end of the text, which in Arabic is on the left.
    first_line_right, ellipsis = excerpt.evaluate(
        """(el) => {
             const node = el.firstChild;
             const range = document.createRange();
             range.setStart(node, node.data.length - 1);
             range.setEnd(node, node.data.length);
             return [el.getBoundingClientRect().right, range.getBoundingClientRect().right];
           }"""
    )
    assert ellipsis < first_line_right - 50
    for selector in (".span-item .label-chip", ".span-item .span-meta", ".label-button span[dir]"):
        assert page.locator(selector).first.get_attribute("dir") == "auto"

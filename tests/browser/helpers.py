"""What the browser tests do on the annotate page, in the user's terms."""

from django.urls import reverse
from playwright.sync_api import Page, expect

from annotations.models import Article

TEXT = "[data-testid=article-text]"

# Rects of the first and last character of the n-th occurrence of a phrase in the article
# text (after scrolling it to the middle of the window), as mouse positions: the visual
# start edge of the first character and the visual end edge of the last, in LTR or RTL.
_PHRASE_POINTS = """
([phrase, occurrence]) => {
  const root = document.querySelector('[data-testid=article-text]');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = '';
  for (let n = walker.nextNode(); n; n = walker.nextNode()) { nodes.push([n, text.length]); text += n.data; }
  let at = -1;
  for (let i = 0; i <= occurrence; i++) { at = text.indexOf(phrase, at + 1); if (at < 0) return null; }
  const point = (offset) => { for (const [n, s] of nodes) if (offset < s + n.data.length) return [n, offset - s]; };
  const range = (from, to) => {
    const [a, ao] = point(from); const [b, bo] = point(to - 1);
    const r = document.createRange(); r.setStart(a, ao); r.setEnd(b, bo + 1); return r;
  };
  const whole = range(at, at + phrase.length).getBoundingClientRect();
  window.scrollBy(0, whole.top - window.innerHeight / 2);
  const rtl = getComputedStyle(root).direction === 'rtl';
  const first = range(at, at + 1).getClientRects()[0];
  const last = range(at + phrase.length - 1, at + phrase.length).getClientRects()[0];
  return {
    start: [rtl ? first.right - 1 : first.left + 1, first.top + first.height / 2],
    end: [rtl ? last.left + 1 : last.right - 1, last.top + last.height / 2],
  };
}
"""

# Select UTF-16 offsets [start, end) of the article text programmatically.
_SELECT_OFFSETS = """
([start, end]) => {
  const root = document.querySelector('[data-testid=article-text]');
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let seen = 0; let a = null; let b = null;
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!a && start <= seen + n.data.length) a = [n, start - seen];
    if (!b && end <= seen + n.data.length) b = [n, end - seen];
    seen += n.data.length;
  }
  document.getSelection().setBaseAndExtent(a[0], a[1], b[0], b[1]);
}
"""


def annotate_url(article: Article) -> str:
    return reverse("article-annotate", args=[article.pk])


def open_annotator(page: Page, article: Article) -> Page:
    page.goto(annotate_url(article))
    page.wait_for_selector("body[data-ready='1']")
    return page


def mouse_select(page: Page, phrase: str, occurrence: int = 0) -> None:
    """Drag the real mouse from the phrase's first character to its last."""
    points = page.evaluate(_PHRASE_POINTS, [phrase, occurrence])
    assert points, f"{phrase!r} is not on the page"
    page.mouse.move(*points["start"])
    page.mouse.down()
    page.mouse.move(*points["end"], steps=8)
    page.mouse.up()
    assert page.evaluate("document.getSelection().toString()").strip() == phrase.strip()


def select_utf16(page: Page, start: int, end: int) -> None:
    page.evaluate(_SELECT_OFFSETS, [start, end])


def highlights(page: Page, annotation_id) -> object:
    return page.locator(f'{TEXT} [data-annotation-id="{annotation_id}"]')


def status(page: Page):
    """The message on show: each message line sits beside its action, and one shows at a time."""
    return page.locator("[data-testid=status]:visible")


def expect_saved(page: Page) -> None:
    expect(status(page)).to_have_text("Saved.")


def select_from_list(page: Page, text: str) -> None:
    page.locator(".span-item", has_text=text).first.click()
    expect(page.get_by_test_id("span-text")).to_have_text(text)


def save(page: Page) -> None:
    page.get_by_role("button", name="Save", exact=True).click()

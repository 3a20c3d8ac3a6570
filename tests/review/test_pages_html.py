"""The review pages are well-formed HTML: every element that is opened is closed, in order."""

from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Balance(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)
        for name, _value in attrs:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"inline {name} on <{tag}> (the CSP forbids it)")

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes <{self.stack[-1] if self.stack else 'nothing'}>")
        else:
            self.stack.pop()


def test_every_review_page_is_balanced_and_has_no_inline_code(client, article, alice, bob, sam, mark):
    mark(article, alice, 15, 40, note="<b>not markup</b>")
    mark(article, bob, 15, 39)
    client.force_login(sam)
    for url in [
        "/review/",
        "/review/progress/",
        "/review/agreement/",
        "/review/agreement/?article=x",
        f"/review/articles/{article.pk}/",
    ]:
        html = client.get(url).content.decode()
        parser = Balance()
        parser.feed(html)
        parser.close()
        assert parser.problems == [], url
        assert parser.stack == [], url
        # scripts are files or JSON data, never inline code
        assert "<script>" not in html and "<b>not markup</b>" not in html, url

"""HTML page → the text a reader sees (blocks on their own lines), its title and ``lang``."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from annotations.text import MarkupError, normalize_text, strip_markup

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
    "hgroup", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
# Elements whose content is never visible text (svg also carries its own <title>). Not
# <head>: its end tag is optional, and what it holds is either hidden here or the <title>.
HIDDEN_TAGS = {"script", "style", "noscript", "template", "iframe", "object", "svg", "math"}
SPACES = re.compile(r"[ \t\n\r\f]+")
# html.parser ends a declaration at its first ">", so a DOCTYPE internal subset
# (<!DOCTYPE html [ <!ENTITY x "y"> ]>) would leave "]>" behind as text.
_DOCTYPE_SUBSET = re.compile(r"<!DOCTYPE[^\[>]*\[.*?\]\s*>", re.IGNORECASE | re.DOTALL)


class _HTMLText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.lang = ""
        self.title: str | None = None
        self.h1: str | None = None
        self._hidden: list[str] = []
        self._title_parts: list[str] | None = None
        self._h1_parts: list[str] | None = None
        self._pre = 0

    def handle_starttag(self, tag, attrs):
        if tag == "html":
            values = dict(attrs)
            self.lang = (values.get("lang") or values.get("xml:lang") or "").strip()
        if tag == "title" and self.title is None and not self._hidden:
            self._title_parts = []
            return
        if tag in HIDDEN_TAGS:
            self._hidden.append(tag)
            return
        if self._hidden:
            return
        if tag == "h1" and self.h1 is None:
            self._h1_parts = []
        if tag == "pre":
            self._pre += 1
        if tag == "br":
            self.chunks.append("\n")
        elif tag in BLOCK_TAGS:
            self.chunks.append("\n\n")

    def handle_startendtag(self, tag, attrs):
        if tag in HIDDEN_TAGS:
            return  # <svg/> and friends: nothing inside, nothing to skip
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag == "title" and self._title_parts is not None:
            self.title = SPACES.sub(" ", "".join(self._title_parts)).strip()
            self._title_parts = None
            return
        if self._hidden:
            if tag == self._hidden[-1]:
                self._hidden.pop()
            return
        if tag == "h1" and self._h1_parts is not None:
            self.h1 = SPACES.sub(" ", "".join(self._h1_parts)).strip()
            self._h1_parts = None
        if tag == "pre" and self._pre:
            self._pre -= 1
        if tag in BLOCK_TAGS:
            self.chunks.append("\n\n")

    def handle_data(self, data):
        if self._title_parts is not None:
            self._title_parts.append(data)
            return
        if self._hidden:
            return
        if self._h1_parts is not None:
            self._h1_parts.append(data)
        self.chunks.append(data if self._pre else SPACES.sub(" ", data))


def _tidy_lines(text: str) -> str:
    lines = [re.sub(r"[ \t]{2,}", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(markup: str) -> tuple[str, str | None, str]:
    """``(text, title, lang)`` of an HTML page: visible text, blocks on their own lines.

    Raises ``MarkupError`` (naming the text or the title) for what would still read as markup."""
    parser = _HTMLText()
    parser.feed(_DOCTYPE_SUBSET.sub("", markup, count=1))
    parser.close()
    try:
        text = _tidy_lines(normalize_text(strip_markup("".join(parser.chunks))))
    except MarkupError as exc:
        raise MarkupError(f"text: the page's text {exc}.") from None
    try:
        title = strip_markup(parser.title or parser.h1 or "").strip() or None
    except MarkupError as exc:
        raise MarkupError(f"title: the page's title {exc}.") from None
    return text, title, parser.lang

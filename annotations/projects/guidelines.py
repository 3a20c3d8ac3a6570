"""A project's guidelines: Markdown rendered to HTML, then sanitised by bleach's allowlist."""

from __future__ import annotations

import bleach
import markdown
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {"a": ["href", "title"], "abbr": ["title"], "th": ["align"], "td": ["align"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


def render_guidelines(text: str) -> SafeString:
    """HTML safe to put in a page: whatever raw HTML or ``javascript:`` link the Markdown
    held is stripped by the allowlist after rendering."""
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists", "fenced_code"], output_format="html")
    cleaned = bleach.clean(
        html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, protocols=ALLOWED_PROTOCOLS, strip=True
    )
    return mark_safe(cleaned)  # noqa: S308 - bleach's allowlist output

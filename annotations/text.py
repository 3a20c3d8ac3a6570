"""Text rules used in several places: one normalisation, one language-tag shape, one markup
strip, one NUL check, one line-separator escape. The importer, the admin, the services and the
export call these; nothing here needs Django, so the export benchmark's baseline uses it too."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

import bleach

# BCP 47 in the shape the workbench uses: a 2-3 letter primary tag and optional subtags.
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
LANGUAGE_TAG_MAX_LENGTH = 35

# What the importer, the API parser and the admin say about "\ud800": valid JSON, not text.
LONE_SURROGATE = "a string holds a lone surrogate (\\ud800-\\udfff), which is not text."


def normalize_text(text: str) -> str:
    """The one normalisation article text gets: NFC and ``\\n`` newlines."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def is_language_tag(value: object) -> bool:
    return isinstance(value, str) and len(value) <= LANGUAGE_TAG_MAX_LENGTH and bool(LANGUAGE_RE.match(value))


def strip_markup(text: str) -> str:
    """Plain text: anything that still parses as markup goes (bleach decides)."""
    cleaned = bleach.clean(text, tags=set(), attributes={}, strip=True, strip_comments=True)
    # bleach escapes &, < and > in what remains; plain text keeps them as typed.
    return cleaned.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def holds_nul(value: object) -> bool:
    """Whether any string in ``value`` (keys too) holds NUL, which PostgreSQL refuses."""
    pending = [value]  # iterative: a parsed record may nest deeper than the recursion limit
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if "\x00" in item:
                return True
        elif isinstance(item, Mapping):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
    return False


def escape_line_separators(text: str) -> str:
    # JSON leaves U+0085, U+2028 and U+2029 raw, but str.splitlines() and some JSON
    # Lines readers break lines there; escaped, every record stays on one line.
    if "\u2028" in text:
        text = text.replace("\u2028", "\\u2028")
    if "\u2029" in text:
        text = text.replace("\u2029", "\\u2029")
    if "\x85" in text:
        text = text.replace("\x85", "\\u0085")
    return text

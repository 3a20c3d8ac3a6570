"""Text rules used in several places: one normalisation, one language-tag shape, one markup
strip, one search of a parsed record's strings (NUL, lone surrogates), one line-separator
escape. The importer, the admin, the services and the export call these; nothing here needs
Django, so the export benchmark's baseline uses it too."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping

import bleach

# BCP 47 in the shape the workbench uses: a 2-3 letter primary tag and optional subtags.
LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
LANGUAGE_TAG_MAX_LENGTH = 35

# What the importer, the API parser and the admin say about "\ud800": valid JSON, not text.
LONE_SURROGATE = "a string holds a lone surrogate (\\ud800-\\udfff), which is not text."


def normalize_text(text: str) -> str:
    """The one normalisation article text gets: NFC and ``\\n`` newlines."""
    if "\r" not in text and unicodedata.is_normalized("NFC", text):
        return text  # the common case, without copying a large text (the importer's hot path)
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def is_language_tag(value: object) -> bool:
    return isinstance(value, str) and len(value) <= LANGUAGE_TAG_MAX_LENGTH and bool(LANGUAGE_RE.match(value))


# Passes of strip_markup before it gives up: each pass undoes one level of entity encoding
# or tag splitting, and ordinary text settles in one or two.
MARKUP_PASSES = 10
# "<" then a letter, "/", "!" or "?": where an HTML tokenizer starts a tag, a comment or a
# declaration. bleach leaves these as text when the tag never closes ("x<y", "a <b").
_TAG_LIKE = re.compile(r"<[A-Za-z/!?]\S{0,19}")


class MarkupError(ValueError):
    """Text that still reads as markup after stripping; the message says why."""


def strip_markup(text: str) -> str:
    """Plain text: markup is stripped until nothing in the text parses as markup.

    A pass is bleach (tags and comments go, their text stays) then ``html.unescape`` (bleach
    leaves entities alone; as plain text they become the characters they name). Stripping
    once is not enough: ``&lt;script&gt;`` and ``<<script>script>`` come out of a pass as a
    ``<script>`` that the next pass strips. Passes repeat until one changes nothing, so the
    result is a fixed point: stripping it again gives it back unchanged.

    Raises ``MarkupError`` for markup nested deeper than ``MARKUP_PASSES`` levels, and for a
    "<" that still starts a tag in the result (an unclosed ``<b`` that bleach leaves as
    text): refused rather than guessed at.
    """
    for _ in range(MARKUP_PASSES):
        cleaned = html.unescape(bleach.clean(text, tags=set(), attributes={}, strip=True, strip_comments=True))
        if cleaned == text:
            break
        text = cleaned
    else:
        raise MarkupError(f"holds markup or entities nested more than {MARKUP_PASSES} levels deep")
    found = _TAG_LIKE.search(text)
    if found is not None:
        raise MarkupError(
            f"holds {found.group()!r}, which still reads as markup ('<' followed by a letter, '/', '!' or '?')"
        )
    return text


def fold_name(name: str) -> str:
    """A name as compared for look-alikes: case, width and compatibility forms folded
    (fullwidth ``Reuters``, ``REUTERS`` and ``reuters`` are one), invisible format characters
    (zero-width space, joiners, bidi controls) dropped, runs of space made one."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    visible = "".join(char for char in folded if unicodedata.category(char) != "Cf")
    return " ".join(visible.split())


def holds(value: object, pattern: re.Pattern[str], parts: Callable[[object], Iterable[object]] | None = None) -> bool:
    """Whether any string in a parsed ``value`` (keys too, however deep) matches ``pattern``:
    NUL, which PostgreSQL refuses, or a lone surrogate. ``parts`` opens other objects to search."""
    pending = [value]  # iterative: a parsed record may nest deeper than the recursion limit
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if pattern.search(item):
                return True
        elif isinstance(item, Mapping):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list | tuple):
            pending.extend(item)
        elif parts is not None:
            pending.extend(parts(item))
    return False


def escape_line_separators(data: bytes) -> bytes:
    # JSON leaves U+0085, U+2028 and U+2029 raw, but str.splitlines() and some JSON
    # Lines readers break lines there; escaped, every record stays on one line. UTF-8
    # never puts these byte sequences inside another character, so bytes can be replaced.
    if b"\xe2\x80\xa8" in data:
        data = data.replace(b"\xe2\x80\xa8", b"\\u2028")
    if b"\xe2\x80\xa9" in data:
        data = data.replace(b"\xe2\x80\xa9", b"\\u2029")
    if b"\xc2\x85" in data:
        data = data.replace(b"\xc2\x85", b"\\u0085")
    return data

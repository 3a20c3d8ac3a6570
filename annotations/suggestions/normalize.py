"""Matching text with a map back to the article's code points.

Cues and source names are matched on a normalised copy of the article: Arabic alef
forms, alef maqsura and ta marbuta folded, tatweel and diacritics dropped, no-break and
thin spaces as spaces, curly apostrophes as ``'``. Every folded character maps to one
character or to nothing, so a position in the copy maps back to exactly one code point
of the original, and the caller's offsets stay code points of ``Article.text``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Deleted: tatweel, Arabic harakat/tanween/shadda/sukun, superscript alef, Quranic marks,
# soft hyphen and zero-width characters (they split words without being seen).
_DELETE = [
    0x0640,
    0x0670,
    0x00AD,
    0x200B,
    0x200C,
    0x200D,
    0x2060,
    0xFEFF,
    *range(0x064B, 0x0660),
    *range(0x06D6, 0x06EE),
]
_FOLD = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ى": "ي",
    "ة": "ه",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2007": " ",
    "\u2009": " ",
    "\u200a": " ",
    "\u3000": " ",
    "\t": " ",
    # A lone CR ends a line like LF does; CRLF becomes two line ends, which only ever
    # reads as a paragraph break.
    "\r": "\n",
    "\u2028": "\n",
    "\u2029": "\n",
    "\u2019": "'",
    "\u2018": "'",
    "\u02bc": "'",
    "\u2010": "-",
    "\u2011": "-",
}
_TABLE: dict[int, str | None] = dict.fromkeys(_DELETE)
_TABLE.update({ord(k): v for k, v in _FOLD.items()})
# Regular expressions do the work in C: str.translate looks every character up in a dict.
_DELETE_RE = re.compile("[" + "".join(re.escape(chr(code)) for code in _DELETE) + "]+")
_FOLD_RE = re.compile("[" + "".join(re.escape(char) for char in _FOLD) + "]")


@dataclass(frozen=True)
class Folded:
    """The normalised copy and, for each of its characters, the original position."""

    original: str
    text: str
    positions: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a non-empty ``[start, end)`` of the copy back to the original.

        The end swallows deleted marks that follow the last kept character: a diacritic
        or tatweel belongs to the letter before it.
        """
        original_start = self.positions[start]
        original_end = self.positions[end] if end < len(self.positions) else len(self.original)
        return original_start, original_end


def fold(text: str) -> Folded:
    positions: list[int] = []
    kept: list[str] = []
    previous = 0
    for match in _DELETE_RE.finditer(text):
        positions.extend(range(previous, match.start()))
        kept.append(text[previous : match.start()])
        previous = match.end()
    positions.extend(range(previous, len(text)))
    kept.append(text[previous:])
    folded = _FOLD_RE.sub(lambda match: _FOLD[match.group()], "".join(kept))
    return Folded(original=text, text=folded, positions=positions)


def fold_registry_name(name: str) -> str:
    """A registry name folded like the text it is looked for in (not ``text.fold_name``, which
    folds look-alikes to refuse duplicate sources)."""
    return name.translate(_TABLE).strip()

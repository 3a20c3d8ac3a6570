"""What import learns from the script (a language guess), and offsets moved by normalisation."""

from __future__ import annotations

import re

from annotations.text import normalize_text

UNDETERMINED = "und"


def _class(ranges) -> str:
    return "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in ranges)


_ARABIC_SCRIPT = ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_OTHER_RTL_SCRIPTS = ((0x0590, 0x05FF), (0xFB1D, 0xFB4F), (0x0700, 0x074F), (0x0780, 0x07BF), (0x07C0, 0x07FF))
# Counting runs in C (re.sub) rather than a Python loop per character: this runs on every
# imported text. [^\W\d_] is a letter (digits and "_" are word characters, not letters).
_NOT_LETTER = re.compile(r"[\W\d_]+")
_ARABIC = re.compile(f"[{_class(_ARABIC_SCRIPT)}]+")
_OTHER_RTL = re.compile(f"[{_class(_OTHER_RTL_SCRIPTS)}]+")
_ANY_RTL = re.compile(f"[{_class(_ARABIC_SCRIPT + _OTHER_RTL_SCRIPTS)}]")
# Letters of Persian, Urdu and other languages written in Arabic script that Arabic itself
# does not use: their presence means "not sure it is Arabic".
_NOT_ARABIC_LETTERS = re.compile("[پچژگکیےٹڈڑںھۀ]")
# A bound that settles most Arabic texts without the exact count, which classifies every
# character (70 of 85 µs an article): ISO 8859-6 holds ASCII and the basic Arabic letters
# U+0621–U+064A (bytes 0xC1–0xEA), and encoding to it with "ignore" drops everything else.
# Those bytes count letters that are certainly Arabic; the ASCII ones that are not A–Z or
# a–z count characters that are certainly not letters.
_ISO_ARABIC = "iso8859_6"
_BASIC_ARABIC_BYTES = bytes(range(0xC1, 0xEB))
_ASCII_NOT_LETTER_BYTES = bytes(b for b in range(128) if not chr(b).isalpha())


def _count(pattern: re.Pattern, text: str) -> int:
    return len(text) - len(pattern.sub("", text))


def guess_language(text: str) -> tuple[str, str]:
    """``(language, direction)`` from the script alone.

    Mostly Arabic-script letters → ``ar`` (``und`` if letters only Persian/Urdu use appear);
    anything else → ``und``. Latin script is shared by too many languages to guess from.
    The direction follows the script even when the language is unknown.
    """
    if not _ANY_RTL.search(text):
        return UNDETERMINED, "ltr"  # the common case, found without counting letters
    encoded = text.encode(_ISO_ARABIC, "ignore")
    arabic_at_least = len(encoded) - len(encoded.translate(None, _BASIC_ARABIC_BYTES))
    letters_at_most = len(text) - (len(encoded) - len(encoded.translate(None, _ASCII_NOT_LETTER_BYTES)))
    if arabic_at_least * 2 > letters_at_most:  # then certainly more than half the letters
        return (UNDETERMINED if _NOT_ARABIC_LETTERS.search(text) else "ar"), "rtl"
    return _guess_by_letters(text)


def _guess_by_letters(text: str) -> tuple[str, str]:
    """``guess_language`` for a text holding right-to-left letters, by counting every letter."""
    letters = _NOT_LETTER.sub("", text)
    if not letters:
        return UNDETERMINED, "ltr"
    arabic = _count(_ARABIC, letters)
    if arabic * 2 > len(letters):
        return (UNDETERMINED if _NOT_ARABIC_LETTERS.search(letters) else "ar"), "rtl"
    if (arabic + _count(_OTHER_RTL, letters)) * 2 > len(letters):
        return UNDETERMINED, "rtl"
    return UNDETERMINED, "ltr"


class OffsetMap:
    """Moves code point offsets from the given text onto its normalised form."""

    def __init__(self, original: str):
        self.original = original
        self.normalized = normalize_text(original)
        self.identity = self.normalized is original or self.normalized == original
        self._cache: dict[int, int | None] = {}

    def __call__(self, offset: int) -> int | None:
        if self.identity:
            return offset
        if offset not in self._cache:
            head = normalize_text(self.original[:offset])
            # A boundary survives normalisation only if both halves normalise independently.
            boundary = head + normalize_text(self.original[offset:]) == self.normalized
            self._cache[offset] = len(head) if boundary else None
        return self._cache[offset]

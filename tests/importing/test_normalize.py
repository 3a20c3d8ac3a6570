"""The import's language guess: the quick bound agrees with counting every letter."""

import random

from annotations.importing.normalize import _BASIC_ARABIC_BYTES, _ISO_ARABIC, _guess_by_letters, guess_language


def test_the_bytes_counted_as_arabic_are_arabic_letters():
    for byte in _BASIC_ARABIC_BYTES:
        try:
            char = bytes([byte]).decode(_ISO_ARABIC)
        except UnicodeDecodeError:
            continue  # not assigned in ISO 8859-6, so never produced by encoding
        assert char.isalpha() and not char.isdecimal() and "\u0600" <= char <= "\u06ff", hex(ord(char))


# Characters around the bound's edges: basic Arabic letters, Arabic letters outside
# ISO 8859-6, Persian letters, Arabic punctuation, digits and marks, Hebrew and Syriac,
# Latin with accents, ASCII, spaces, emoji.
_ALPHABETS = [
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي",
    "ٱٹڈڑںۀ",  # Arabic script beyond ISO 8859-6 (U+0671 and Urdu letters)
    "پچژگکی",
    "،؛؟٪",
    "٠١٢٣٤٥٦٧٨٩",
    "\u064b\u064c\u064e\u0650\u0651",  # harakat: marks, not letters
    "אבגדה",
    "ܐܒܓ",
    "éèçàœ",
    "abcXYZ",
    "0123456789.,;:!?-_()'\"",
    "  \n\t",
    "😀🇮🇩",
]


def test_the_quick_bound_gives_what_counting_every_letter_gives():
    rng = random.Random(14)
    outcomes = set()
    for _ in range(20_000):
        weights = [rng.random() ** 3 for _ in _ALPHABETS]
        text = "".join(rng.choice(rng.choices(_ALPHABETS, weights)[0]) for _ in range(rng.randint(1, 40)))
        expected = _guess_by_letters(text) if any("\u0590" <= c <= "\u08ff" for c in text) else None
        got = guess_language(text)
        if expected is not None:
            assert got == expected, repr(text)
        outcomes.add(got)
    # The texts reach every answer, so each branch of both paths was compared.
    assert outcomes == {("ar", "rtl"), ("und", "rtl"), ("und", "ltr")}

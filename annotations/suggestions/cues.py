"""The words each language uses to attribute a statement and to make a checkable one.

Patterns run on the folded text (see ``normalize``): Arabic is written here without
hamza on alef, without diacritics or tatweel, with ``ه`` for ta marbuta. Adding a language
is adding an entry to each table, here and in ``features.toml``.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

# Cues before the source: "Selon Reuters, <claim>" / "<claim>, according to Reuters".
PRE_CUES: dict[str, list[str]] = {
    "fr": [r"selon", r"d'apr[eè]s", r"de source", r"cit[ée]e? par"],
    "en": [r"according to", r"as reported by", r"citing"],
    "id": [
        r"berdasarkan (?:laporan|data|keterangan|informasi)",
        r"menurut(?: (?:laporan|data|keterangan))?",
        r"dilansir(?: dari)?",
        r"mengutip",
        r"(?:sudah |telah )?dikonfirmasi oleh",
        r"dilaporkan oleh",
    ],
    # و/ف clitics are allowed in front of every Arabic cue (see ARABIC_CLITIC).
    "ar": [r"ب?حسب", r"وفقا ل", r"طبقا ل", r"نقلا عن", r"استنادا (?:الي|ال)"],
}

# Reporting verbs after a named speaker: "Sam Altman a déclaré que <claim>".
POST_CUES: dict[str, list[str]] = {
    "fr": [r"a (?:d[ée]clar[ée]|affirm[ée]|indiqu[ée]|expliqu[ée]|soulign[ée]|pr[ée]cis[ée]|assur[ée]|annonc[ée])"],
    "en": [r"said", r"says", r"reported", r"reports", r"told", r"stated", r"announced", r"claimed"],
    "id": [
        r"kata",
        r"ujar",
        r"ungkap",
        r"mengungkapkan",
        r"menjelaskan",
        r"menekankan",
        r"menyatakan",
        r"mengatakan",
        r"mengindikasikan",
        r"menegaskan",
        r"mengklaim",
        r"melaporkan",
    ],
}
# Verbs that may name the speaker after themselves ("..., kata Budi." / "..., said Smith.").
SPEAKER_AFTER = {"kata", "ujar", "ungkap", "said", "says"}

# Arabic reporting verbs come first, the speaker after: "أعلنت مايكروسوفت أنها ...".
ARABIC_VERBS = [
    r"قال",
    r"قالت",
    r"يقول",
    r"تقول",
    r"اعلن",
    r"اعلنت",
    r"يعلن",
    r"تعلن",
    r"افاد",
    r"افادت",
    r"يفيد",
    r"تفيد",
    r"كشف",
    r"كشفت",
    r"اكد",
    r"اكدت",
    r"صرح",
    r"صرحت",
    r"اوضح",
    r"اوضحت",
]
ARABIC_CLITIC = r"(?:[وف](?:قد )?)?"
ARABIC_COMPLEMENTISERS = {"ان", "انه", "انها", "انهم", "عن", "بان", "بانه", "بانها"}
ARABIC_PRONOUNS = {"فيها", "فيه", "له", "لها", "هو", "هي", "انه", "انها"}
ARABIC_ADVERBIAL_START = re.compile(r"[وف]?(?:في|منذ|خلال|بعد|قبل|مع)\s")

COMPLEMENTISERS: dict[str, re.Pattern[str]] = {
    "fr": re.compile(r"\b(?:que|qu')", re.IGNORECASE),
    "en": re.compile(r"\bthat\b", re.IGNORECASE),
    "id": re.compile(r"\bbahwa\b", re.IGNORECASE),
}
# Words that end a source phrase after a pre-position cue.
PHRASE_STOPS = {"que", "qu'", "bahwa", "that", "yang", "ان", "فان", "انه", "انها", "qui", "which"}
CONNECTORS = {"de", "du", "des", "la", "le", "of", "the", "van", "von", "bin", "al", "el", "dan", "et", "and", "&"}

# Check-worthiness features: (name as reasons show it, weight, words per language), from
# features.toml. Digits are matched in any script (``\d`` is Unicode).
FEATURES: tuple[tuple[str, float, dict[str, str]], ...] = tuple(
    (name, table.pop("weight"), table)
    for name, table in tomllib.loads(Path(__file__).with_name("features.toml").read_text("utf-8")).items()
)
# Symbols need no word boundary: "17%", "$2".
SYMBOLS: tuple[tuple[str, str], ...] = (
    ("percentage", r"\d(?:[\d.,]*\d)?\s?[%٪]"),
    ("money", r"(?:US)?[$€£]\s?\d(?:[\d.,]*\d)?"),
)
NUMBER_WEIGHT = 0.2
YEAR_WEIGHT = 0.1
WEIGHTS = {name: weight for name, weight, _ in FEATURES} | {"number": NUMBER_WEIGHT, "year": YEAR_WEIGHT}


def feature_pattern(language: str, languages: list[str]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One regular expression for every feature, so an article is scanned once.

    Returns the pattern and a map from its group names to feature names.
    """
    groups: dict[str, str] = {"year": "year", "number": "number"}
    symbols = []
    for index, (name, pattern) in enumerate(SYMBOLS):
        groups[f"s{index}"] = name
        symbols.append(f"(?P<s{index}>{pattern})")
    words = []
    for index, (name, _, table) in enumerate(FEATURES):
        pattern = "|".join(table[code] for code in languages if code in table)
        groups[f"w{index}"] = name
        words.append(f"(?P<w{index}>{pattern})")
    combined = (
        "|".join(symbols)
        + r"|(?P<year>(?<!\d)(?:19|20)\d\d(?!\d))"
        + r"|(?P<number>(?<![\w\-])\d(?:[\d.,]*\d)?(?![\w\-]))"
        # Letters either side end a match: "mai" is a month, "maison" is not.
        + r"|(?<!\w)(?:"
        + "|".join(words)
        + r")(?!\w)"
    )
    return re.compile(combined, re.IGNORECASE), groups

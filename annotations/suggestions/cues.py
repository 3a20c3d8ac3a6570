"""The words each language uses to attribute a statement and to make a checkable one.

Patterns run on the folded text (see ``normalize``): Arabic is written here without
hamza on alef, without diacritics or tatweel, with ``ه`` for ta marbuta. Adding a language
is adding an entry to each table.
"""

from __future__ import annotations

import re

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

# Check-worthiness features. Digits are matched in any script (``\d`` is Unicode).
_NUMBER_WORDS = {
    "fr": r"milliards?|millions?|milliers?|cent|mille|douzaines?",
    "en": r"billions?|millions?|thousands?|hundreds?|dozens?",
    "id": r"miliar|triliun|juta|ribu|ratusan|puluhan|ribuan|jutaan",
    "ar": r"مليار|مليارات|مليون|ملايين|الف|الاف|مئات|عشرات",
}
_MONEY = {
    "fr": r"dollars?|euros?",
    "en": r"dollars?|euros?|pounds?",
    "id": r"dolar|rupiah|Rp",
    "ar": r"دولار|يورو|جنيه|ريال|درهم",
}
_PERCENT = {
    "fr": r"pour ?cent",
    "en": r"per ?cent",
    "id": r"persen",
    "ar": r"بالمئه|في المئه|بالمائه",
}
_MONTHS = {
    "fr": r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre",
    "en": r"January|February|March|April|May|June|July|August|September|October|November|December",
    "id": r"Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember",
    "ar": r"يناير|فبراير|مارس|ابريل|مايو|يونيو|يوليو|اغسطس|سبتمبر|اكتوبر|نوفمبر|ديسمبر",
}
_COMPARISON = {
    "fr": r"plus (?:de|que|grand|important|puissant)|moins (?:de|que)|davantage|premi[eè]re?|le plus|la plus|"
    r"sup[ée]rieur|inf[ée]rieur|d[ée]passe|record|croissance|augment\w*|baisse",
    "en": r"more than|less than|fewer than|largest|biggest|highest|lowest|first|record|compared|exceed\w*|"
    r"increase\w*|decrease\w*|grew|growth",
    "id": r"lebih|melampaui|terbesar|tertinggi|terendah|pertama|dibandingkan|dibanding|kurang dari|meningkat|"
    r"menurun|melonjak|rekor|hanya mencapai",
    "ar": r"اكثر|اكبر|اقل|مقارنه|يتجاوز|تتجاوز|الاولي|الاول|ازدياد|تزايد|المتزايد|نمو|ارتفاع|انخفاض",
}
_PREDICTION = {
    "fr": r"devrait|devraient|sera|seront|atteindra|pr[ée]voit|pr[ée]dit|pr[ée]visions?|pourrait|va \w+er",
    "en": r"will|expected to|forecasts?|predicts?|plans? to|is set to|projected",
    "id": r"akan|diperkirakan|diprediksi|berencana|menargetkan|dijadwalkan|direncanakan",
    "ar": r"سوف|من المتوقع|يتوقع|تتوقع|سيكون|ستكون|سيتم|ستتم|سيعتمد|ستعتمد|سيصل|ستصل|سترتفع|سيرتفع",
}
_EVENT = {
    "fr": r"accord|contrat|n[ée]gociations?|partenariat|a sign[ée]|annonc[ée]",
    "en": r"agreement|deal|contract|partnership|signed|announced|launched",
    "id": r"perjanjian|kesepakatan|kemitraan|menandatangani|kerja sama|kerjasama|investasi|mengumumkan",
    "ar": r"اتفاق|اتفاقيه|صفقه|شراكه|توقيع|عقد",
}


# Names of the features as reasons show them, their weights and their words per language.
FEATURES: tuple[tuple[str, float, dict[str, str]], ...] = (
    ("percentage", 0.35, _PERCENT),
    ("money", 0.35, _MONEY),
    ("quantity", 0.25, _NUMBER_WORDS),
    ("date", 0.15, _MONTHS),
    ("comparison", 0.2, _COMPARISON),
    ("prediction", 0.2, _PREDICTION),
    ("agreement or deal", 0.15, _EVENT),
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

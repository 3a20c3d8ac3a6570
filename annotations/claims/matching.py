"""Find the claim a span makes among a project's claims, across languages and scripts.

Pure Python and offline: no model, no download, no Django. The signals are the ones
that survive translation between Indonesian, French, Arabic and English:

- numbers, normalised across digit scripts (``١٢`` = ``12``), decimal and thousands
  separators by language (``$1,4 miliar`` in Indonesian is 1.4 billion, ``1.000 rak``
  is a thousand) and magnitude words (``12 milliards de dollars``, ``12 مليار دولار``,
  ``$12 billion`` and ``12 miliar`` are all 12,000,000,000);
- percentages (``17%``, ``15,8 persen``, ``٪``, ``pour cent``, ``في المئة``);
- years, and months named in id/fr/ar/en (``mars``, ``Maret``, ``مارس``, ``آذار``,
  ``March``), with the month-and-year pair when they stand together;
- the source registry's names and aliases in every script (``Microsoft``,
  ``مايكروسوفت``, ``ومايكروسوفت`` with its Arabic clitic);
- other names written in Latin script (``CoreWeave``, ``Azure``, ``Nvidia``);
- character n-grams, compared only between texts in the same language.

A claim is compared through each of its texts (its statement and every appearance);
its score is that of its closest text, so a claim with many appearances is not
favoured for being long. Rare signals count more than common ones (inverse document
frequency over the claims being ranked: ``OpenAI`` is in every seed, ``CoreWeave``
in two). Scores are in [0, 1]; reasons say in words what matched.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field

# How much one matching signal of each kind weighs before its rarity is applied. A
# quantity with a magnitude word or a currency is hard to share by chance; a bare
# year is not.
KIND_WEIGHTS = {
    "amount": 4.0,
    "number": 2.0,
    "percent": 4.0,
    "year-month": 3.0,
    "month": 1.0,
    "year": 1.0,
    "source": 2.0,
    "name": 2.0,
    "concept": 1.0,
}
# Character n-gram similarity is worth this much of the score when both texts share
# a language; across languages it is not computed at all.
NGRAM_SHARE = 0.5
NGRAM_SIZES = (3, 4)
MIN_SCORE = 0.05
PROFILE_CACHE_SIZE = 50_000

# --------------------------------------------------------------------------- words

MAGNITUDES: dict[str, float] = {}
for _words, _value in (
    (("thousand", "thousands", "k", "ribu", "rb", "mille", "milliers", "ألف", "الف", "آلاف", "الاف"), 1e3),
    (("million", "millions", "mn", "m", "juta", "jt", "مليون", "ملايين"), 1e6),
    (("billion", "billions", "bn", "b", "miliar", "milyar", "milliard", "milliards", "مليار", "مليارات"), 1e9),
    (("trillion", "trillions", "tn", "triliun", "trilyun", "تريليون", "تريليونات"), 1e12),
):
    for _word in _words:
        MAGNITUDES[_word] = _value
# French "billion" is the long scale: a million millions.
FRENCH_MAGNITUDES = {"billion": 1e12, "billions": 1e12, "trillion": 1e18, "trillions": 1e18}

CURRENCY_WORDS = {
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "dolar": "USD",
    "دولار": "USD",
    "دولارات": "USD",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "يورو": "EUR",
    "rupiah": "IDR",
    "idr": "IDR",
}
CURRENCY_SYMBOLS = {"$": "USD", "us$": "USD", "€": "EUR", "rp": "IDR", "rp.": "IDR"}
PERCENT_WORDS = (
    "%",
    "٪",
    "persen",
    "pour cent",
    "pourcent",
    "percent",
    "per cent",
    "بالمئة",
    "بالمائة",
    "في المئة",
    "في المائة",
)

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        ("january", "januari", "janvier", "يناير", "كانون الثاني"),
        ("february", "februari", "février", "fevrier", "فبراير", "شباط"),
        ("march", "maret", "mars", "مارس", "آذار", "اذار"),
        ("april", "avril", "أبريل", "ابريل", "إبريل", "نيسان"),
        ("may", "mei", "mai", "مايو", "أيار", "ايار"),
        ("june", "juni", "juin", "يونيو", "يونيه", "حزيران"),
        ("july", "juli", "juillet", "يوليو", "يوليه", "تموز"),
        ("august", "agustus", "août", "aout", "أغسطس", "اغسطس", "آب"),
        ("september", "septembre", "سبتمبر", "أيلول", "ايلول"),
        ("october", "oktober", "octobre", "أكتوبر", "اكتوبر", "تشرين الأول"),
        ("november", "novembre", "نوفمبر", "تشرين الثاني"),
        ("december", "desember", "décembre", "decembre", "ديسمبر", "كانون الأول"),
    ),
    start=1,
):
    for _name in _names:
        MONTHS[_name] = _number
MONTH_LABELS = [
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
# English "may" is mostly the verb; only a capitalised "May" next to a year counts.
AMBIGUOUS_MONTHS = {"may"}

# Capitalised words that start sentences or name nothing in particular; the rarity
# weighting handles the rest.
_STOPWORDS = """
    a an and as at but by for from he her his i in it its of on or our she the their they this to we what when who
    will with le la les un une des du de et en dans pour par sur selon mais ce cette ces il elle ils elles on jusqu
    l d c qu au aux pas ne plus bien peu cependant surtout dan di ke dari yang ini itu untuk dengan pada dalam
    selama menurut namun jika apa siapa bahkan hal ai ceo pdg
"""
NAME_STOPWORDS = frozenset(_STOPWORDS.split())

SENTENCE_OPENERS = ".!?:\n—–-\"'«“(•"
ARABIC_CLITICS = "(?:وبال|وال|بال|فال|كال|لل|ال|و|ف|ب|ل|ك)?"
ARABIC_RANGE = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"

# A small hand-made lexicon of what business and technology news claims are about,
# in the four languages. Words are matched by their beginning ("investasi",
# "investissement" and "invest" all start with "invest"); Arabic ones after a clitic.
CONCEPTS: dict[str, tuple[str, ...]] = {
    "deal": ("deal", "agreement", "accord", "kesepakatan", "perjanjian", "صفقه", "اتفاق"),
    "partnership": ("partner", "partenari", "kemitraan", "bermitra", "mitra", "شراكه", "شريك"),
    "customer": ("customer", "client", "pelanggan", "klien", "عميل", "عملاء"),
    "infrastructure": ("infrastruct", "infrastrukt", "بنيه التحتيه", "البنيه التحتيه"),
    "cloud": ("cloud", "nuage", "awan", "سحاب"),
    "computing": ("comput", "calcul", "komputasi", "حوسب"),
    "revenue": ("revenue", "revenu", "pendapatan", "ايراد", "عائدات"),
    "investment": ("invest", "menginvest", "استثمار"),
    "provider": ("provider", "supplier", "fournisseur", "penyedia", "pemasok", "مزود", "موفر"),
    "exclusive": ("exclusiv", "exclusif", "only", "seul", "satu-satunya", "hanya", "حصري"),
    "dependence": ("depend", "dépend", "ketergantungan", "bergantung", "الاعتماد", "اعتماد"),
    "diversification": ("divers", "mendiversifikasi", "alternati", "تنويع", "بديل"),
    "negotiation": ("negotia", "négocia", "negosiasi", "مفاوض"),
    "market": ("market", "marché", "pasar", "سوق", "اسواق"),
    "chief executive": ("ceo", "pdg", "chief executive", "directeur général", "الرئيس التنفيذي"),
    "graphics processors": ("gpu", "chip", "puce", "cip", "رسومي", "معالجات"),
    "data centre": (
        "data center",
        "data centre",
        "centre de données",
        "centres de données",
        "pusat data",
        "مراكز بيانات",
        "مركز بيانات",
    ),
    "download": ("download", "téléchar", "unduh", "تنزيل", "تحميل"),
    "growth": ("growth", "grow", "croissance", "pertumbuhan", "tumbuh", "نمو"),
    "five years": ("five years", "five-year", "cinq ans", "lima tahun", "خمس سنوات", "لخمس سنوات"),
    "per week": ("per week", "a week", "par semaine", "per minggu", "اسبوعيا", "في الاسبوع"),
    "annual": ("annual", "yearly", "annuel", "tahunan", "per tahun", "setiap tahun", "سنوي"),
    "open source": ("open-source", "open source", "sumber terbuka", "مفتوح المصدر", "مفتوحه المصدر"),
}
# Arabic letters, and Latin letters and digraphs, by the consonant they write, so that
# a name in Latin script can be heard in Arabic script: "Altman" and "ألتمان" both
# give L-T-M-N. Vowels and the letters Arabic also uses as vowels are left out.
ARABIC_SOUNDS = {
    "ب": "B", "ت": "T", "ط": "T", "ث": "T", "ج": "G", "غ": "G", "ح": "H", "ه": "H", "خ": "K", "ك": "K",
    "ق": "K", "د": "D", "ض": "D", "ذ": "D", "ر": "R", "ز": "Z", "ظ": "Z", "س": "S", "ص": "S", "ش": "S",
    "ف": "F", "ل": "L", "م": "M", "ن": "N",
}  # fmt: skip
LATIN_SOUNDS = {
    "b": "B", "p": "B", "t": "T", "d": "D", "g": "G", "j": "G", "h": "H", "k": "K", "c": "K", "q": "K",
    "x": "KS", "r": "R", "z": "Z", "s": "S", "f": "F", "v": "F", "l": "L", "m": "M", "n": "N",
}  # fmt: skip
LATIN_DIGRAPHS = {"ph": "F", "th": "T", "sh": "S", "ch": "S", "kh": "K", "gh": "G", "ck": "K"}
MIN_SOUND_LENGTH = 4  # three consonants are an Arabic root: too many words share them

# ------------------------------------------------------------------ normalisation


_OTHER_DIGIT = re.compile(r"(?![0-9])\d")  # a decimal digit of any script but ASCII


_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # harakat and tatweel


def ascii_digits(text: str) -> str:
    """Every script's decimal digits as ASCII (Arabic-Indic ``١٢`` → ``12``); Arabic's own separators too."""
    text = _OTHER_DIGIT.sub(lambda match: str(unicodedata.decimal(match.group())), text)
    return text.replace("٫", ".").replace("٬", ",")


_LETTER_VARIANTS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ى": "ي", "ة": "ه", "ـ": None})


def fold(text: str) -> str:
    """Case, compatibility forms, Arabic vowel marks and letter variants folded away for comparison."""
    text = unicodedata.normalize("NFKC", ascii_digits(text)).casefold()
    text = _ARABIC_MARKS.sub("", text)
    return text.translate(_LETTER_VARIANTS)


def _primary(language: str) -> str:
    return (language or "").split("-")[0].lower()


# ----------------------------------------------------------------------- signals


@dataclass(frozen=True)
class Signal:
    """One language-independent fact found in a text: its kind, a comparable key, and how to say it."""

    kind: str
    key: Hashable
    label: str = field(compare=False)  # "Coreweave" and "CoreWeave" are the same name


@dataclass(frozen=True)
class RegistryEntry:
    """A source of the registry: its slug, display name and every alias (any script)."""

    slug: str
    name: str
    aliases: tuple[str, ...] = ()


_NUMBER = re.compile(
    r"(?P<currency>us\$|\$|€|rp\.?)?\s?"
    r"(?P<number>\d+(?:[.,\u00a0\u202f]\d+)*)"
    r"(?:\s?(?P<unit>%|[^\W\d_]+(?:\s+(?:de|d'|dari))?(?:\s+[^\W\d_]+)?))?",
    re.IGNORECASE,
)
FOLDED_MONTHS = {fold(name): number for name, number in MONTHS.items()}
_MONTH = re.compile(
    r"(?<!\w)"
    + ARABIC_CLITICS
    + "("
    + "|".join(re.escape(m) for m in sorted(FOLDED_MONTHS, key=len, reverse=True))
    + r")(?!\w)"
)
_YEAR = re.compile(r"(?<![\d.,$])(?:19|20)\d\d(?![\d%])")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LATIN_TOKEN = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z0-9\u00c0-\u024f]*(?:[.\-][A-Za-z0-9\u00c0-\u024f]+)*")


def _parse_number(raw: str, language: str) -> float | None:
    raw = raw.replace("\u00a0", "").replace("\u202f", "")
    comma_decimal = _primary(language) in {"id", "fr", "de", "es", "it", "pt", "nl", "tr", "ru"}
    decimal, thousands = (",", ".") if comma_decimal else (".", ",")
    parts = re.split(r"([.,])", raw)
    digits = parts[0]
    for separator, group in zip(parts[1::2], parts[2::2], strict=True):
        if separator == thousands and len(group) == 3:
            digits += group
        elif separator == decimal or (separator == thousands and len(group) != 3):
            # A "thousands" separator not followed by three digits can only be a decimal point.
            digits += "." + group
        else:
            return None
    try:
        return float(digits)
    except ValueError:
        return None


def _format_quantity(value: float) -> str:
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if value >= size:
            return f"{value / size:g} {word}"
    return f"{value:g}"


def _latin_names(text: str, covered: set[str]) -> set[Signal]:
    """Names in Latin script, wherever they stand: capitalised words that do not start a sentence."""
    found: set[Signal] = set()
    original = unicodedata.normalize("NFKC", text)
    for match in _LATIN_TOKEN.finditer(original):
        token = match.group()
        lowered = token.casefold()
        if len(lowered) < 3 or lowered in NAME_STOPWORDS or lowered in covered or fold(token) in FOLDED_MONTHS:
            continue
        inner_capital = any(c.isupper() for c in token[1:])
        if not (token[0].isupper() or inner_capital):
            continue
        before = original[: match.start()].rstrip()
        if (not before or before[-1] in SENTENCE_OPENERS) and not inner_capital:
            continue  # "Selon", "Cependant": capitalised because a sentence starts there
        found.add(Signal("name", lowered, token))
    return found


_ARABIC_WORD = re.compile(f"[{ARABIC_RANGE}]+")
# Words, with a change of script as a word break: "وOpenAI" is و + OpenAI.
_TOKEN = re.compile(f"[{ARABIC_RANGE}]+|[^\\W{ARABIC_RANGE}]+")
_CLITIC_PREFIX = re.compile("^" + ARABIC_CLITICS)


def _concept_stems() -> tuple[dict[str, str], dict[str, str], list[int]]:
    whole: dict[str, str] = {}
    prefixes: dict[str, str] = {}
    for concept, stems in CONCEPTS.items():
        for stem in stems:
            key = " ".join(_TOKEN.findall(fold(stem)))
            # Short words match whole ("cip", not "cipta"); longer ones by their beginning.
            (whole if len(key) <= 4 else prefixes)[key] = concept
    return whole, prefixes, sorted({len(stem) for stem in prefixes})


_WHOLE_CONCEPTS, _PREFIX_CONCEPTS, _PREFIX_LENGTHS = _concept_stems()
_LONGEST_CONCEPT = max(len(stem.split()) for stem in (*_WHOLE_CONCEPTS, *_PREFIX_CONCEPTS))


def latin_sound(name: str) -> str:
    """The consonants a Latin-script name is heard with: "Altman" → "LTMN"."""
    word = name.casefold()
    for digraph, sound in LATIN_DIGRAPHS.items():
        word = word.replace(digraph, sound)
    return "".join(c if c.isupper() else LATIN_SOUNDS.get(c, "") for c in word)


def arabic_sound(word: str) -> str:
    """The consonants of an Arabic word, the same way: "ألتمان" → "LTMN"."""
    return "".join(ARABIC_SOUNDS.get(c, "") for c in word)


def _arabic_sounds(folded: str) -> dict[str, str]:
    sounds: dict[str, str] = {}
    for word in _ARABIC_WORD.findall(folded):
        for form in {word, _CLITIC_PREFIX.sub("", word)}:
            sound = arabic_sound(form)
            if len(sound) >= MIN_SOUND_LENGTH:
                sounds.setdefault(sound, word)
    return sounds


class Matcher:
    """Ranks claims for a span. Build one per request from the project's source registry."""

    def __init__(self, registry: Iterable[RegistryEntry] = ()):
        self.registry = list(registry)
        names: dict[str, RegistryEntry] = {}
        for entry in self.registry:
            for alias in (entry.name, *entry.aliases):
                folded = " ".join(_TOKEN.findall(fold(alias)))
                if len(folded) >= 2:
                    names.setdefault(folded, entry)
        self._alias_entry = names
        self._longest_alias = max((len(alias.split()) for alias in names), default=0)
        self._profiles: dict[tuple[str, str], _Profile] = {}

    # ------------------------------------------------------------------ extraction

    def signals(self, text: str, language: str) -> set[Signal]:
        """Every language-independent signal in ``text``."""
        folded = fold(text)
        sources, covered = self._sources(folded)
        quantities = self._quantities(folded, language)
        return quantities | self._dates(folded) | sources | _latin_names(text, covered) | self._concepts(folded)

    @staticmethod
    def _concepts(folded: str) -> set[Signal]:
        found: set[Signal] = set()
        tokens = _TOKEN.findall(folded)
        for position in range(len(tokens)):
            for size in range(1, min(_LONGEST_CONCEPT, len(tokens) - position) + 1):
                words = tokens[position : position + size]
                phrases = {" ".join(words)}
                if _ARABIC_WORD.fullmatch(words[0]):
                    phrases.add(" ".join([_CLITIC_PREFIX.sub("", words[0]), *words[1:]]))
                for phrase in phrases:
                    concept = _WHOLE_CONCEPTS.get(phrase) or next(
                        (_PREFIX_CONCEPTS[phrase[:n]] for n in _PREFIX_LENGTHS if phrase[:n] in _PREFIX_CONCEPTS), None
                    )
                    if concept:
                        found.add(Signal("concept", concept, concept))
        return found

    def _quantities(self, folded: str, language: str) -> set[Signal]:
        found: set[Signal] = set()
        magnitudes = {**MAGNITUDES, **(FRENCH_MAGNITUDES if _primary(language) == "fr" else {})}
        for match in _NUMBER.finditer(folded):
            raw = match.group("number")
            value = _parse_number(raw, language)
            if value is None:
                continue
            unit_text = (match.group("unit") or "").strip()
            rest = folded[match.end("number") : match.end("number") + 14].lstrip()
            if unit_text == "%" or any(rest.startswith(word) for word in PERCENT_WORDS):
                found.add(Signal("percent", round(value, 3), f"{value:g}%"))
                continue
            unit_words = unit_text.split()
            if unit_words and unit_words[0] in FOLDED_MONTHS:
                continue  # the day in "10 juni 2025"
            magnitude = magnitudes.get(unit_words[0]) if unit_words else None
            currency = CURRENCY_SYMBOLS.get((match.group("currency") or "").lower())
            for word in unit_words:
                currency = currency or CURRENCY_WORDS.get(word)
            if magnitude is None and currency is None and raw.isdigit() and len(raw) == 4 and 1900 <= value <= 2100:
                continue  # a year: see _dates
            if magnitude is None and currency is None and value < 10:
                continue  # "2 menit", "5 ans": too common to tell claims apart
            amount = value * (magnitude or 1)
            label = _format_quantity(amount) + (f" {currency}" if currency else "")
            kind = "amount" if (magnitude or currency) else "number"
            found.add(Signal(kind, round(amount, 3), label))
        return found

    @staticmethod
    def _dates(folded: str) -> set[Signal]:
        found: set[Signal] = set()
        for match in _YEAR.finditer(folded):
            found.add(Signal("year", int(match.group()), match.group()))
        for match in _MONTH.finditer(folded):
            name = match.group(1)
            month = FOLDED_MONTHS[name]
            year = re.match(r"[\s,]*((?:19|20)\d\d)(?!\d)", folded[match.end() : match.end() + 8])
            if name in AMBIGUOUS_MONTHS and not year:
                continue
            found.add(Signal("month", month, MONTH_LABELS[month]))
            if year:
                found.add(Signal("year-month", (int(year.group(1)), month), f"{MONTH_LABELS[month]} {year.group(1)}"))
        return found

    def _sources(self, folded: str) -> tuple[set[Signal], set[str]]:
        """Registry sources named in the text, and the words of the names found (not counted again as names)."""
        found: set[Signal] = set()
        covered: set[str] = set()
        tokens = _TOKEN.findall(folded)
        position = 0
        while position < len(tokens):
            for size in range(min(self._longest_alias, len(tokens) - position), 0, -1):
                words = tokens[position : position + size]
                entry = self._alias_entry.get(" ".join(words))
                if entry is None and _ARABIC_WORD.fullmatch(words[0]):
                    # Arabic glues و, ب, ل, ال ... to the next word: "لمايكروسوفت" names Microsoft.
                    entry = self._alias_entry.get(" ".join([_CLITIC_PREFIX.sub("", words[0]), *words[1:]]))
                if entry is not None:
                    found.add(Signal("source", entry.slug, entry.name))
                    covered.update(words)
                    position += size
                    break
            else:
                position += 1
        return found, covered

    # --------------------------------------------------------------------- ranking

    def rank(
        self,
        text: str,
        language: str,
        claims: Sequence[ClaimTexts],
        *,
        limit: int = 5,
    ) -> list[Match]:
        """The claims most likely to be the one ``text`` makes, best first, with reasons."""
        query = self._profile(text, language)
        profiles = [(claim, [self._profile(t, lang) for t, lang in claim.texts if t]) for claim in claims]
        signal_df: Counter = Counter()
        ngram_df: Counter = Counter()
        for _claim, texts in profiles:
            signal_df.update(set().union(*(p.signals for p in texts)))
            # Wording is only compared within the query's language, so only those texts count.
            ngram_df.update(set().union(*(p.ngrams.keys() for p in texts if p.language == query.language)))
        total = max(len(profiles), 1)
        weights: dict[Signal, float] = {}

        def weight(signal: Signal) -> float:
            if signal not in weights:
                rarity = math.log((total + 1) / (signal_df[signal] + 1)) + 1
                weights[signal] = KIND_WEIGHTS[signal.kind] * rarity
            return weights[signal]

        query_vector = _tfidf(query.ngrams, ngram_df, total)
        matches: list[Match] = []
        for claim, texts in profiles:
            best: Match | None = None
            for profile in texts:
                match = self._compare(claim, query, query_vector, profile, weight, ngram_df, total)
                if best is None or match.score > best.score:
                    best = match
            if best is not None and best.score >= MIN_SCORE:
                matches.append(best)
        matches.sort(key=lambda m: (-m.score, str(m.claim)))
        return matches[:limit]

    def _profile(self, text: str, language: str) -> _Profile:
        # Claims' texts are compared again on every request for matches; their profiles
        # are kept (bounded) for as long as this matcher lives.
        key = (text, language)
        profile = self._profiles.get(key)
        if profile is None:
            if len(self._profiles) >= PROFILE_CACHE_SIZE:
                self._profiles.clear()
            profile = self._profiles[key] = self._new_profile(text, language)
        return profile

    def _new_profile(self, text: str, language: str) -> _Profile:
        primary = _primary(language)
        folded = fold(text)
        return _Profile(primary, self.signals(text, language), Counter(_ngrams(folded)), _arabic_sounds(folded))

    @staticmethod
    def _compare(claim, query, query_vector, profile, weight, ngram_df, total) -> Match:
        shared = {signal for signal in query.signals if signal in profile.signals}  # labels as the span writes them
        matched = 2 * sum(weight(s) for s in shared)
        reasons = [(weight(s), _reason(s)) for s in shared]
        # A Latin-script name on one side heard in an Arabic word on the other.
        for names, other in ((query.signals - shared, profile), (profile.signals - shared, query)):
            for signal in names:
                heard = other.arabic_sounds.get(latin_sound(signal.label)) if signal.kind == "name" else None
                if heard:
                    matched += weight(signal)
                    reasons.append((weight(signal), f"names: {signal.label} ({heard})"))
        total_weight = sum(weight(s) for s in query.signals) + sum(weight(s) for s in profile.signals)
        signal_score = matched / total_weight if total_weight else 0.0
        reasons.sort(key=lambda pair: (-pair[0], pair[1]))
        said = [reason for _weight, reason in reasons]
        if query.language and query.language == profile.language:
            similarity = _cosine(query_vector, _tfidf(profile.ngrams, ngram_df, total))
            score = (1 - NGRAM_SHARE) * signal_score + NGRAM_SHARE * similarity
            if similarity >= 0.1:
                said.append(f"similar wording in {query.language} ({similarity:.2f})")
        else:
            score = signal_score
        return Match(claim=claim.key, score=round(score, 4), reasons=said)


@dataclass(frozen=True)
class ClaimTexts:
    """What a claim is compared through: its statement and its appearances, each with its language."""

    key: Hashable
    texts: tuple[tuple[str, str], ...]


@dataclass
class Match:
    claim: Hashable
    score: float
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Profile:
    language: str
    signals: set[Signal]
    ngrams: Counter
    arabic_sounds: dict[str, str]


_REASON_WORDS = {
    "amount": "same amount",
    "number": "same number",
    "percent": "same percentage",
    "year-month": "same month and year",
    "month": "same month",
    "year": "same year",
    "source": "names",
    "name": "names",
    "concept": "both about",
}


def _reason(signal: Signal) -> str:
    return f"{_REASON_WORDS[signal.kind]}: {signal.label}"


def _ngrams(folded: str) -> Iterable[str]:
    for word in _WORD.findall(folded):
        padded = f" {word} "
        for size in NGRAM_SIZES:
            for i in range(len(padded) - size + 1):
                yield padded[i : i + size]


def _tfidf(counts: Counter, df: Counter, total: int) -> dict[str, float]:
    return {g: (1 + math.log(c)) * (math.log((total + 1) / (df[g] + 1)) + 1) for g, c in counts.items()}


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0

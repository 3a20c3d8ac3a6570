"""Suggest attributions and check-worthy claims in one article's text.

Pure Python over the text, the article's language and the source registry's names:
no model, no download, no database. Every offset handed out is a code point offset into
the text given, and every suggestion has gone through ``annotations.offsets.check_span``.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from annotations.offsets import check_span
from annotations.suggestions import cues
from annotations.suggestions.normalize import Folded, fold, fold_registry_name

LANGUAGES = ("id", "fr", "ar", "en")
ATTRIBUTION = "attribution"
CLAIM = "claim"

_SENTENCE_END = re.compile(r"[.!?؟…]+[\"'”»)]*(?=\s|$)|\n+")
_TOKEN = re.compile(r"(?:[^\s,،;:()\[\]\"“”«»—–.!?؟]|\.(?=\w))+")
_WORD = re.compile(r"\S+")
_TRIM_END = " \n,،;:.!?؟…—–-\"“”«»'("
_TRIM_START = " \n,،;:.—–-)\"“”«»'"
_MIN_CLAIM_WORDS = 3
_MIN_SENTENCE_WORDS = 5
_MAX_PHRASE_WORDS = 8


@dataclass(frozen=True)
class SourceName:
    """A registry source as the engine needs it: its slug and every name it goes by."""

    slug: str
    names: tuple[str, ...]


@dataclass
class Suggestion:
    id: str
    start: int
    end: int
    text: str
    label: str
    sources: list[str]
    score: float
    reason: str
    pair: str | None = None

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "label": self.label,
            "sources": list(self.sources),
            "score": self.score,
            "reason": self.reason,
            "pair": self.pair,
        }


def suggestion_id(label: str, start: int, end: int) -> str:
    """Stable across requests (the text never changes once annotated), so dismissals stick."""
    return hashlib.sha256(f"{label}:{start}:{end}".encode()).hexdigest()[:16]


class SourceMatcher:
    """Finds registry names in folded text, in any script, with Arabic clitics in front."""

    def __init__(self, sources: Iterable[SourceName]):
        self._slug_by_name: dict[str, str] = {}
        exact: set[str] = set()
        for source in sources:
            for name in source.names:
                folded = fold_registry_name(name)
                if len(folded) < 2:
                    continue
                exact.add(folded)
                self._slug_by_name.setdefault(folded.casefold(), source.slug)
        self._exact = exact
        names = sorted(self._slug_by_name, key=len, reverse=True)
        if names:
            alternation = "|".join(re.escape(name) for name in names)
            # A name starts a word, or follows a one-letter Arabic clitic (و ف ب ل ك) that does.
            self._pattern: re.Pattern[str] | None = re.compile(
                rf"(?:(?<!\w)|(?<=(?<!\w)[وفبلك])|(?<=(?<!\w)[وف][بلك]))(?P<name>{alternation})(?!\w)",
                re.IGNORECASE,
            )
        else:
            self._pattern = None

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int, str]]:
        if self._pattern is None:
            return []
        end = len(text) if end is None else end
        found = []
        for match in self._pattern.finditer(text, start, end):
            name = match.group("name")
            # Registry spelling, or capitalised: "Mint" the outlet, not "mint" the herb.
            if name not in self._exact and not name[0].isupper():
                continue
            found.append((match.start("name"), match.end("name"), self._slug_by_name[name.casefold()]))
        return found

    def slugs(self, text: str, start: int, end: int) -> list[str]:
        slugs: list[str] = []
        for _, _, slug in self.find(text, start, end):
            if slug not in slugs:
                slugs.append(slug)
        return slugs


@dataclass
class _Found:
    label: str
    start: int
    end: int
    sources: list[str] = field(default_factory=list)
    score: float = 0.0
    reason: str = ""
    pair: _Found | None = None


class _Article:
    def __init__(self, text: str, language: str, matcher: SourceMatcher):
        self.folded: Folded = fold(text)
        self.text = self.folded.text
        self.language = (language or "").split("-")[0].lower()
        self.matcher = matcher
        self.sentences = _sentences(self.text)
        self.sentence_starts = [start for start, _ in self.sentences]
        pattern, groups = _feature_pattern(self.language)
        # Every alternative of the pattern is a named group, so lastgroup is always set.
        self.feature_hits = [(m.start(), m.end(), groups[m.lastgroup or ""]) for m in pattern.finditer(self.text)]
        self.feature_starts = [hit[0] for hit in self.feature_hits]

    def sentence_at(self, position: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.sentence_starts, position) - 1
        if index < 0:
            return (0, 0)
        return self.sentences[index]

    def trim(self, start: int, end: int) -> tuple[int, int]:
        while start < end and self.text[start] in _TRIM_START:
            start += 1
        while end > start and self.text[end - 1] in _TRIM_END:
            end -= 1
        return start, end

    def words(self, start: int, end: int) -> int:
        return len(_WORD.findall(self.text, start, end))


def _sentences(text: str) -> list[tuple[int, int]]:
    sentences = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        sentences.append((start, match.end()))
        start = match.end()
    if start < len(text):
        sentences.append((start, len(text)))
    return sentences


def _languages(language: str) -> list[str]:
    return [language] if language in LANGUAGES else list(LANGUAGES)


def _alternation(table: dict[str, list[str]], languages: list[str]) -> str:
    return "|".join(pattern for language in languages for pattern in table.get(language, []))


_PATTERNS: dict[str, dict[str, re.Pattern[str] | None]] = {}


def _patterns(language: str) -> dict[str, re.Pattern[str] | None]:
    if language not in _PATTERNS:
        languages = _languages(language)
        pre = _alternation(cues.PRE_CUES, languages)
        post = _alternation(cues.POST_CUES, languages)
        # "وفقا لـ" often joins the next word ("لرويترز"), so an Arabic cue ending in ل has no end boundary.
        _PATTERNS[language] = {
            "pre": re.compile(rf"(?<![\w']){cues.ARABIC_CLITIC}(?P<cue>{pre})(?:(?<=ل)|(?!\w))", re.IGNORECASE)
            if pre
            else None,
            "post": re.compile(rf"(?<![\w'])(?P<cue>{post})(?!\w)", re.IGNORECASE) if post else None,
            "arabic": re.compile(rf"(?<!\w){cues.ARABIC_CLITIC}(?P<cue>{'|'.join(cues.ARABIC_VERBS)})(?!\w)")
            if "ar" in languages
            else None,
        }
    return _PATTERNS[language]


_FEATURE_PATTERNS: dict[str, tuple[re.Pattern[str], dict[str, str]]] = {}


def _feature_pattern(language: str) -> tuple[re.Pattern[str], dict[str, str]]:
    if language not in _FEATURE_PATTERNS:
        _FEATURE_PATTERNS[language] = cues.feature_pattern(language, _languages(language))
    return _FEATURE_PATTERNS[language]


# What a detector finds: the attribution, the clause it attributes (if any) and where that is.
_Detected = tuple[_Found, tuple[int, int] | None, str]


def _skip_spaces(text: str, position: int, end: int) -> int:
    while position < end and text[position] in " \n":
        position += 1
    return position


def _source_phrase(article: _Article, position: int, limit: int) -> int:
    """End of the source named after a pre-position cue ("Selon [Reuters]," / "بحسب [رويترز]،")."""
    text = article.text
    end = position
    count = 0
    cursor = _skip_spaces(text, position, limit)
    while cursor < limit and count < _MAX_PHRASE_WORDS:
        match = _TOKEN.match(text, cursor)
        if match is None:
            # A list of outlets goes on across commas: "Reuters, Axios, Investopedia".
            if text[cursor] in ",،":
                after = _skip_spaces(text, cursor + 1, limit)
                for connector in ("dan ", "et ", "and ", "و"):
                    if text.startswith(connector, after):
                        after += len(connector)
                found = article.matcher.find(text, after, min(limit, after + 60))
                if found and found[0][0] == after:
                    cursor = after
                    continue
            break
        word = match.group().casefold()
        if word in cues.PHRASE_STOPS or (count and word in {"que", "bahwa", "that"}):
            break
        end = match.end()
        count += 1
        cursor = _skip_spaces(text, match.end(), limit)
    named = article.matcher.find(text, position, end)
    if named:
        return named[-1][1]
    if count >= _MAX_PHRASE_WORDS:
        # No punctuation closed the phrase: keep the first words only.
        words = list(_TOKEN.finditer(text, position, end))[:3]
        return words[-1].end() if words else end
    return end


def _skip_parenthetical(text: str, position: int, limit: int) -> int:
    position = _skip_spaces(text, position, limit)
    if position < limit and text[position] == "(":
        closing = text.find(")", position, limit)
        if closing != -1:
            return closing + 1
    return position


def _clause(article: _Article, start: int, end: int) -> tuple[int, int] | None:
    start, end = article.trim(start, end)
    if end <= start or article.words(start, end) < _MIN_CLAIM_WORDS:
        return None
    return start, end


def _pre_cue(article: _Article, match: re.Match[str]) -> _Detected | None:
    text = article.text
    sentence_start, sentence_end = article.sentence_at(match.start("cue"))
    cue_start = match.start("cue")
    phrase_end = _source_phrase(article, match.end("cue"), sentence_end)
    if phrase_end <= match.end("cue"):
        return None
    found = _Found(ATTRIBUTION, cue_start, phrase_end)
    found.sources = article.matcher.slugs(text, cue_start, phrase_end)
    after = _skip_parenthetical(text, phrase_end, sentence_end)
    while after < sentence_end and text[after] in " ,،:;—–-":
        after += 1
    for word in ("فان ", "فإن ", "ان ", "que ", "qu'", "bahwa ", "that "):
        if text.startswith(word, after):
            after += len(word)
            break
    claim = _clause(article, after, sentence_end)
    if claim is not None:
        return found, claim, "the clause after it"
    claim = _clause(article, sentence_start, cue_start)
    return found, claim, "the clause before it"


def _is_name(word: str) -> bool:
    bare = word.strip(",\"“”'()")
    return bool(bare) and (bare[0].isupper() or bare[0].isdigit())


def _name_run(tokens: list[re.Match[str]], last: int) -> int:
    """Index of the first token of the run of capitalised words ending at ``last`` (or last+1)."""
    first = last + 1
    index = last
    while index >= 0:
        word = tokens[index].group()
        if index != last and word.endswith((",", "،")):
            break
        if _is_name(word) or (word.casefold() in cues.CONNECTORS and first <= last):
            first = index
            index -= 1
            continue
        break
    while first <= last and tokens[first].group().casefold() in cues.CONNECTORS:
        first += 1
    return first


def _speaker_before(article: _Article, sentence_start: int, cue_start: int) -> int | None:
    """Start of the named speaker just before a reporting verb, with an apposition allowed.

    "Misha Laskin, menjelaskan" and "Sam Altman, PDG de la société, a déclaré" both give
    the name's start; a lower-case subject ("la société a déclaré") names nobody.
    """
    tokens = list(_WORD.finditer(article.text, sentence_start, cue_start))
    if not tokens:
        return None
    last = len(tokens) - 1
    if tokens[last].group().endswith(("'", '"', "”", "»")):
        # The end of a quotation, not a speaker: "... Amerika,' menegaskan".
        return None
    first = _name_run(tokens, last)
    if first <= last and (first == 0 or tokens[first - 1].group().endswith((",", "،"))):
        return tokens[first].start()
    if tokens[last].group().endswith((",", "،")):
        # An apposition between commas ("Sam Altman, PDG de la société," / "…, patron de
        # Microsoft,"): the speaker is the name before the previous comma.
        for index in range(last - 1, max(-1, last - 8), -1):
            if tokens[index].group().endswith((",", "،")):
                earlier = _name_run(tokens, index)
                if earlier <= index:
                    return tokens[earlier].start()
                break
    if first <= last:
        return tokens[first].start()
    return None


def _speaker_after(article: _Article, position: int, limit: int) -> int | None:
    tokens: list[re.Match[str]] = []
    for match in _WORD.finditer(article.text, position, limit):
        if not _is_name(match.group()) or len(tokens) >= 4:
            break
        tokens.append(match)
        if match.group().endswith((",", ".")):
            break
    if not tokens:
        return None
    return tokens[-1].start() + len(tokens[-1].group().rstrip(",."))


def _post_cue(article: _Article, match: re.Match[str]) -> _Detected | None:
    text = article.text
    cue_start, cue_end = match.start("cue"), match.end("cue")
    sentence_start, sentence_end = article.sentence_at(cue_start)
    speaker = _speaker_before(article, sentence_start, cue_start)
    if speaker is not None:
        found = _Found(ATTRIBUTION, speaker, cue_end)
        complementiser = cues.COMPLEMENTISERS.get(article.language)
        window_end = min(sentence_end, cue_end + 80)
        hit = complementiser.search(text, cue_end, window_end) if complementiser else None
        if hit is not None:
            claim, where = _clause(article, hit.end(), sentence_end), "the clause after it"
        else:
            claim, where = _clause(article, cue_end, sentence_end), "the clause after it"
        context = (sentence_start, speaker)
    else:
        # "..., kata Budi." / "..., said Smith.": the speaker follows, the claim came first.
        before = text[sentence_start:cue_start].rstrip()
        if match.group("cue").casefold() not in cues.SPEAKER_AFTER or not before.endswith((",", '"', "”")):
            return None
        speaker_end = _speaker_after(article, _skip_spaces(text, cue_end, sentence_end), sentence_end)
        if speaker_end is None:
            return None
        found = _Found(ATTRIBUTION, cue_start, speaker_end)
        claim, where = _clause(article, sentence_start, cue_start), "the clause before it"
        context = (cue_start, cue_start)
    found.sources = article.matcher.slugs(text, found.start, found.end) or article.matcher.slugs(text, *context)
    return found, claim, where


def _arabic_verb(article: _Article, match: re.Match[str]) -> _Detected | None:
    text = article.text
    cue_start, cue_end = match.start("cue"), match.end("cue")
    sentence_start, sentence_end = article.sentence_at(cue_start)
    speaker_end = cue_end
    claim_start = None
    speaker_words: list[str] = []
    for token in _WORD.finditer(text, cue_end, sentence_end):
        word = token.group()
        bare = word.rstrip("،,:")
        if bare in cues.ARABIC_COMPLEMENTISERS:
            claim_start = token.end()
            break
        if len(speaker_words) >= 5:
            break
        speaker_words.append(bare)
        speaker_end = token.start() + len(bare)
        if bare != word:
            claim_start = token.end()
            break
    if claim_start is None:
        return None
    start = cue_start
    context = (sentence_start, cue_start)
    if not speaker_words or all(word in cues.ARABIC_PRONOUNS for word in speaker_words):
        # "نشر سام ألتمان ... رسالة قال فيها إن": the speaker was named earlier in the sentence.
        start = _skip_spaces(text, sentence_start, cue_start)
        lead = cues.ARABIC_ADVERBIAL_START.match(text, start)
        comma = text.find("،", sentence_start, cue_start)
        if lead and comma != -1:
            start = comma + 1
        start = _skip_spaces(text, start, cue_start)
    found = _Found(ATTRIBUTION, start, speaker_end)
    found.sources = article.matcher.slugs(text, found.start, found.end) or article.matcher.slugs(text, *context)
    return found, _clause(article, claim_start, sentence_end), "the clause after it"


def _features(article: _Article, start: int, end: int) -> tuple[float, list[str]]:
    seen: set[str] = set()
    score = 0.0
    reasons = []
    index = bisect.bisect_left(article.feature_starts, start)
    while index < len(article.feature_hits) and article.feature_hits[index][0] < end:
        position, hit_end, name = article.feature_hits[index]
        index += 1
        if hit_end > end or name in seen:
            continue
        if name == "number" and _is_list_marker(article.text, start, hit_end):
            continue
        seen.add(name)
        score += cues.WEIGHTS[name]
        reasons.append(f"{name} “{article.text[position:hit_end]}”")
    return score, reasons


def _is_heading(text: str, start: int, end: int, words: int) -> bool:
    """A short line with no closing punctuation is a title or a subheading, not a claim."""
    line = text[start:end].strip()
    whole_line = (start == 0 or text[start - 1] == "\n" or text[start:end].startswith("\n")) and (
        end == len(text) or text[end - 1] == "\n" or text[end : end + 1] == "\n"
    )
    return whole_line and words < 10 and not line.endswith((".", "!", "?", "؟", "…"))


def _is_list_marker(text: str, start: int, hit_end: int) -> bool:
    # "1. Tingkatkan Skala" is a list marker, not a quantity.
    return text[hit_end : hit_end + 1] == "." and not text[start:hit_end].strip().rstrip("0123456789")


def suggest(text: str, language: str, sources: Iterable[SourceName] | SourceMatcher) -> list[Suggestion]:
    """Attributions (with their sources and paired claims) and check-worthy claim candidates."""
    matcher = sources if isinstance(sources, SourceMatcher) else SourceMatcher(sources)
    article = _Article(text, language, matcher)
    patterns = _patterns(article.language)
    found: list[_Found] = []
    claims: dict[tuple[int, int], _Found] = {}
    taken: list[tuple[int, int]] = []

    detectors = (("pre", _pre_cue), ("post", _post_cue), ("arabic", _arabic_verb))
    hits: list[tuple[int, Callable[[_Article, re.Match[str]], _Detected | None], re.Match[str]]] = []
    for key, detector in detectors:
        pattern = patterns[key]
        if pattern is not None:
            hits.extend((match.start("cue"), detector, match) for match in pattern.finditer(article.text))
    hits.sort(key=lambda hit: hit[0])
    for _, detect, match in hits:
        result = detect(article, match)
        if result is None:
            continue
        attribution, claim_span, where = result
        # Hits come in text order, so only the last few can overlap this one.
        if any(attribution.start < end and start < attribution.end for start, end in taken[-4:]):
            continue
        taken.append((attribution.start, attribution.end))
        cue_text = match.group("cue")
        named = ", ".join(attribution.sources)
        attribution.score = round(0.55 + (0.3 if attribution.sources else 0) + (0.15 if claim_span else 0), 2)
        parts = [f"“{cue_text}” attributes a statement"]
        parts.append(f"names {named}" if named else "names no registry source")
        if claim_span is not None:
            claim = claims.get(claim_span)
            if claim is None:
                score, reasons = _features(article, *claim_span)
                claim = _Found(CLAIM, *claim_span)
                claim.score = round(min(1.0, 0.4 + score), 2)
                claim.reason = "; ".join([f"attributed by “{cue_text}”", *reasons])
                claims[claim_span] = claim
                found.append(claim)
            attribution.pair = claim
            parts.append(f"pairs with {where}")
        attribution.reason = "; ".join(parts)
        found.append(attribution)

    occupied = _Intervals([(claim.start, claim.end) for claim in claims.values()] + taken)
    for sentence_start, sentence_end in article.sentences:
        start, end = article.trim(sentence_start, sentence_end)
        if end <= start or article.words(start, end) < _MIN_SENTENCE_WORDS:
            continue
        if _is_heading(article.text, sentence_start, sentence_end, article.words(start, end)):
            continue
        if occupied.overlaps(start, end):
            continue
        score, reasons = _features(article, start, end)
        if not reasons:
            continue
        claim = _Found(CLAIM, start, end, score=round(min(1.0, 0.2 + score), 2), reason="; ".join(reasons))
        found.append(claim)

    return _finish(article.folded, found)


class _Intervals:
    """Does ``[start, end)`` overlap any of a fixed set of intervals? (bisect, not a scan)."""

    def __init__(self, intervals: list[tuple[int, int]]):
        intervals.sort()
        self._starts = [start for start, _ in intervals]
        self._max_end: list[int] = []
        furthest = -1
        for _, end in intervals:
            furthest = max(furthest, end)
            self._max_end.append(furthest)

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self._starts, end)
        return index > 0 and self._max_end[index - 1] > start


def _finish(folded: Folded, found: list[_Found]) -> list[Suggestion]:
    original = folded.original
    by_found: dict[int, Suggestion] = {}
    for item in found:
        start, end = folded.span(item.start, item.end)
        # Whitespace is never part of a suggestion, in any form the original spells it.
        while start < end and original[start].isspace():
            start += 1
        while end > start and original[end - 1].isspace():
            end -= 1
        if end <= start:
            continue
        span_text = check_span(original, start, end)
        by_found[id(item)] = Suggestion(
            id=suggestion_id(item.label, start, end),
            start=start,
            end=end,
            text=span_text,
            label=item.label,
            sources=list(item.sources),
            score=item.score,
            reason=item.reason,
        )
    for item in found:
        suggestion = by_found.get(id(item))
        if suggestion is not None and item.pair is not None and id(item.pair) in by_found:
            suggestion.pair = by_found[id(item.pair)].id
    return sorted(by_found.values(), key=lambda s: (s.start, s.end, s.label))

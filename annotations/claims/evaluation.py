"""How the claim matcher is measured: top-k hit rates on hand-labelled claims.

The labelled file (``tests/claims/seed_claims.json``) lists claims found in the seed
articles and where each appears. Only cross-language appearances are scored: for an
appearance in language L, every claim is represented by its texts in other languages
(and, unless ``with_statements`` is false, its English statement), so the right claim
can only be found through signals that cross languages. The bench and the tests both
call :func:`evaluate`, so the figures in the docs and the floors in the tests are the
same measure.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from annotations.claims.matching import ClaimTexts, Match

ROOT = Path(__file__).resolve().parent.parent.parent
LABELLED = ROOT / "tests" / "claims" / "seed_claims.json"
SEED_ARTICLES = ROOT / "fixtures" / "seed_articles.json"

Ranker = Callable[[str, str, Sequence[ClaimTexts]], list[Match]]


@dataclass(frozen=True)
class Appearance:
    claim: str
    article: str
    language: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Labelled:
    statements: dict[str, tuple[str, str]]
    appearances: list[Appearance]


@dataclass(frozen=True)
class HitRates:
    queries: int
    top1: int
    top3: int
    misses: list[tuple[Appearance, list[Match]]]

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.queries if self.queries else 0.0

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.queries if self.queries else 0.0


def load_labelled(path: Path = LABELLED, articles: Path = SEED_ARTICLES) -> Labelled:
    languages = {
        record["fields"]["external_id"]: record["fields"]["language"]
        for record in json.loads(articles.read_text(encoding="utf-8"))
        if record["model"] == "annotations.article"
    }
    data = json.loads(path.read_text(encoding="utf-8"))
    statements = {claim["key"]: (claim["statement"], claim["language"]) for claim in data["claims"]}
    appearances = [
        Appearance(claim["key"], a["article"], languages[a["article"]], a["start"], a["end"], a["text"])
        for claim in data["claims"]
        for a in claim["appearances"]
    ]
    return Labelled(statements, appearances)


def evaluate(labelled: Labelled, rank: Ranker, *, with_statements: bool = True) -> HitRates:
    """Top-1 and top-3 hits over every appearance of a claim that appears in more than one language."""
    languages_of: dict[str, set[str]] = {}
    for appearance in labelled.appearances:
        languages_of.setdefault(appearance.claim, set()).add(appearance.language)
    queries = [a for a in labelled.appearances if len(languages_of[a.claim]) > 1]
    top1 = top3 = 0
    misses = []
    for query in queries:
        candidates = []
        for key, (statement, statement_language) in labelled.statements.items():
            texts = [(statement, statement_language)] if with_statements else []
            texts += [
                (a.text, a.language) for a in labelled.appearances if a.claim == key and a.language != query.language
            ]
            if texts:
                candidates.append(ClaimTexts(key, tuple(texts)))
        ranked = [match.claim for match in rank(query.text, query.language, candidates)]
        top1 += ranked[:1] == [query.claim]
        top3 += query.claim in ranked[:3]
        if query.claim not in ranked[:1]:
            misses.append((query, rank(query.text, query.language, candidates)[:3]))
    return HitRates(len(queries), top1, top3, misses)

"""Scoring suggestions against hand-labelled spans (``tests/suggestions/gold_seeds.json``).

Matching rules, chosen for what a suggestion is for (landing the annotator on the span):
- an attribution matches a gold attribution when they share at least one code point
  (cue phrases are short; "Misha Laskin, menjelaskan" finds "Fisikawan …, Misha Laskin, menjelaskan");
- a claim matches a gold claim when it covers at least half of the gold clause and lies in
  one sentence (the engine never crosses a sentence end);
- the source is right when the set of slugs equals the gold set (gold attributions that
  name a registry source only);
- the pairing is right when the attribution's ``pair`` is a claim that matches the gold
  attribution's claim.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from annotations.counts import Counts
from annotations.suggestions.engine import ATTRIBUTION, CLAIM, SourceName, Suggestion, suggest

ROOT = Path(__file__).resolve().parents[2]
GOLD_PATH = ROOT / "tests" / "suggestions" / "gold_seeds.json"
SEEDS_PATH = ROOT / "fixtures" / "seed_articles.json"
SOURCES_PATH = ROOT / "fixtures" / "sources.json"


def _overlap(a: Mapping, b: Mapping) -> int:
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


def attribution_matches(predicted: Mapping, gold: Mapping) -> bool:
    return _overlap(predicted, gold) > 0


def claim_matches(predicted: Mapping, gold: Mapping) -> bool:
    return 2 * _overlap(predicted, gold) >= gold["end"] - gold["start"]


@dataclass
class Tally(Counts):
    found: int = 0
    predicted: int = 0
    correct_predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.correct_predicted / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0


@dataclass
class Report:
    tallies: dict[tuple[str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))
    source_right: int = 0
    source_total: int = 0
    pair_right: int = 0
    pair_total: int = 0
    misses: list[str] = field(default_factory=list)

    def total(self, kind: str) -> Tally:
        total = Tally()
        for (_, tally_kind), tally in self.tallies.items():
            if tally_kind == kind:
                total += tally
        return total

    @property
    def source_accuracy(self) -> float:
        return self.source_right / self.source_total if self.source_total else 0.0

    @property
    def pairing_accuracy(self) -> float:
        return self.pair_right / self.pair_total if self.pair_total else 0.0


def load_gold(path: Path = GOLD_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def load_seeds(path: Path = SEEDS_PATH) -> dict[str, dict]:
    return {record["fields"]["external_id"]: record["fields"] for record in json.loads(path.read_text("utf-8"))}


def load_sources(path: Path = SOURCES_PATH) -> list[SourceName]:
    sources = []
    for record in json.loads(path.read_text("utf-8")):
        fields = record["fields"]
        sources.append(SourceName(fields["slug"], (fields["name"], *fields.get("aliases", []))))
    return sources


def score(gold: dict, predictions: Mapping[str, Iterable[Suggestion]]) -> Report:
    report = Report()
    for article in gold["articles"]:
        language = article["language"]
        suggestions = [s.as_dict() for s in predictions[article["external_id"]]]
        by_id = {s["id"]: s for s in suggestions}
        for kind, gold_spans, matches in (
            (ATTRIBUTION, article["attributions"], attribution_matches),
            (CLAIM, article["claims"], claim_matches),
        ):
            tally = report.tallies[(language, kind)]
            predicted = [s for s in suggestions if s["label"] == kind]
            tally.gold += len(gold_spans)
            tally.predicted += len(predicted)
            tally.found += sum(1 for g in gold_spans if any(matches(p, g) for p in predicted))
            tally.correct_predicted += sum(1 for p in predicted if any(matches(p, g) for g in gold_spans))
            for g in gold_spans:
                if not any(matches(p, g) for p in predicted):
                    report.misses.append(f"{article['external_id']}:{g['start']}: missed {kind} {g['text'][:60]!r}")
        for g in article["attributions"]:
            hit = next((s for s in suggestions if s["label"] == ATTRIBUTION and attribution_matches(s, g)), None)
            if hit is None:
                continue
            if g["sources"]:
                report.source_total += 1
                report.source_right += set(hit["sources"]) == set(g["sources"])
            if g["claim"] is not None:
                report.pair_total += 1
                paired = by_id.get(hit["pair"])
                report.pair_right += paired is not None and claim_matches(paired, g["claim"])
    return report


def evaluate_seeds() -> Report:
    """Run the engine over the five seeds and score it against the hand labels."""
    seeds = load_seeds()
    sources = load_sources()
    gold = load_gold()
    predictions = {
        article["external_id"]: suggest(
            seeds[article["external_id"]]["text"], seeds[article["external_id"]]["language"], sources
        )
        for article in gold["articles"]
    }
    return score(gold, predictions)

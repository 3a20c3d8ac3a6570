"""The hand labels are sound, and the engine meets its quality floors on them.

The numbers behind these floors are printed by ``.venv/bin/python -m bench.suggestions``.
"""

from __future__ import annotations

import pytest

from annotations.offsets import check_span
from annotations.suggestions import ATTRIBUTION, CLAIM
from annotations.suggestions.quality import evaluate_seeds, load_gold, load_seeds, load_sources

GOLD = load_gold()
SEEDS = load_seeds()


@pytest.fixture(scope="module")
def report():
    return evaluate_seeds()


def _gold_spans():
    for article in GOLD["articles"]:
        for attribution in article["attributions"]:
            yield article["external_id"], attribution
            if attribution["claim"]:
                yield article["external_id"], attribution["claim"]
        for claim in article["claims"]:
            yield article["external_id"], claim


def test_every_gold_span_passes_the_offset_rule_on_its_seed():
    spans = list(_gold_spans())
    assert len(spans) > 60
    for external_id, span in spans:
        text = SEEDS[external_id]["text"]
        assert check_span(text, span["start"], span["end"], span["text"]) == span["text"]


def test_the_gold_set_covers_every_seed_and_names_only_registry_sources():
    slugs = {source.slug for source in load_sources()}
    assert {article["external_id"] for article in GOLD["articles"]} == set(SEEDS)
    assert {article["language"] for article in GOLD["articles"]} == {"id", "fr", "ar"}
    for article in GOLD["articles"]:
        assert article["language"] == SEEDS[article["external_id"]]["language"]
        for attribution in article["attributions"]:
            assert set(attribution["sources"]) <= slugs


def test_attributions_meet_the_precision_and_recall_floors(report):
    total = report.total(ATTRIBUTION)
    assert total.gold == 17
    assert total.precision >= 0.7
    assert total.recall >= 0.8


@pytest.mark.parametrize("language", ["id", "fr", "ar"])
def test_attribution_recall_holds_in_every_seed_language(report, language):
    assert report.tallies[(language, ATTRIBUTION)].recall >= 0.8


def test_attributions_link_the_right_source(report):
    assert report.source_total == 8
    assert report.source_accuracy >= 0.9


def test_claim_candidates_meet_the_recall_floor(report):
    assert report.total(CLAIM).recall >= 0.6


def test_attributions_pair_with_the_claim_they_attribute(report):
    assert report.pair_total == 17
    assert report.pairing_accuracy >= 0.6

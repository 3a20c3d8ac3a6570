"""Agreement figures on small cases worked out by hand (no database).

Every expected number below was computed on paper from the definitions in
docs/review.md; the comments show the arithmetic.
"""

import json

import krippendorff
import numpy as np
import pytest

from annotations.review.agreement import (
    Span,
    character_alpha,
    cluster_spans,
    cohen_kappa,
    compute_agreement,
    krippendorff_nominal,
    match_exact,
    match_overlap,
    precision_recall_f1,
)

_ids = iter(range(1, 10_000))


def s(annotator, start, end, label="claim", article=1, **fields):
    return Span(id=next(_ids), article=article, annotator=annotator, start=start, end=end, label=label, **fields)


def approx(value):
    return pytest.approx(value, abs=1e-12)


# --- Span matching -----------------------------------------------------------------


def test_identical_spans_match_fully():
    a = [s("a", 0, 10), s("a", 20, 30, "attribution")]
    b = [s("b", 0, 10), s("b", 20, 30, "attribution")]
    for pairs in (match_exact(a, b), match_overlap(a, b)):
        assert precision_recall_f1(len(pairs), 2, 2) == {
            "precision": 1.0,
            "recall": 1.0,
            "f1": 1.0,
            "matches": 2,
            "n_a": 2,
            "n_b": 2,
        }


def test_disjoint_spans_match_nothing():
    a = [s("a", 0, 10)]
    b = [s("b", 10, 20), s("b", 30, 40)]  # [0,10) and [10,20) touch but share no character
    assert match_exact(a, b) == []
    assert match_overlap(a, b) == []
    assert precision_recall_f1(0, 1, 2) == {
        "precision": 0.0,
        "recall": 0.0,
        "f1": 0.0,
        "matches": 0,
        "n_a": 1,
        "n_b": 2,
    }


def test_partly_overlapping_spans_with_missing_and_relabelled_items():
    a = [s("a", 0, 10), s("a", 20, 30), s("a", 40, 50, "attribution")]
    b = [s("b", 0, 10), s("b", 22, 35), s("b", 60, 70), s("b", 40, 50)]  # last: same place, other label
    exact = match_exact(a, b)
    overlap = match_overlap(a, b)
    assert [(x.start, y.start) for x, y in exact] == [(0, 0)]
    assert [(x.start, y.start) for x, y in overlap] == [(0, 0), (20, 22)]
    # exact: 1 match; P = 1/4 (B has 4 spans), R = 1/3 (A has 3), F1 = 2·1/(3+4) = 2/7
    e = precision_recall_f1(len(exact), len(a), len(b))
    assert (e["precision"], e["recall"], e["f1"]) == (approx(1 / 4), approx(1 / 3), approx(2 / 7))
    # overlap: 2 matches; P = 2/4, R = 2/3, F1 = 4/7
    o = precision_recall_f1(len(overlap), len(a), len(b))
    assert (o["precision"], o["recall"], o["f1"]) == (approx(2 / 4), approx(2 / 3), approx(4 / 7))
    assert (o["matches"], o["n_a"], o["n_b"]) == (2, 3, 4)


def test_spans_on_different_articles_never_match():
    a = [s("a", 0, 10, article=1)]
    b = [s("b", 0, 10, article=2)]
    assert match_exact(a, b) == [] and match_overlap(a, b) == []


def test_overlap_matching_is_one_to_one_and_prefers_the_largest_overlap():
    a = [s("a", 0, 10)]
    b = [s("b", 0, 4), s("b", 3, 10)]  # overlaps of 4 and 7 characters
    assert [(x.start, y.start) for x, y in match_overlap(a, b)] == [(0, 3)]
    # one span of A can only be matched once: recall 1/1, precision 1/2
    o = precision_recall_f1(len(match_overlap(a, b)), 1, 2)
    assert (o["precision"], o["recall"]) == (0.5, 1.0)


def test_an_exact_match_wins_over_a_containing_span():
    a = [s("a", 0, 20), s("a", 0, 10)]
    b = [s("b", 0, 10)]
    # both A spans share 10 characters with B; the one with the same boundaries is chosen
    assert [(x.end, y.end) for x, y in match_overlap(a, b)] == [(10, 10)]


def test_duplicate_spans_match_one_to_one():
    a = [s("a", 0, 10), s("a", 0, 10)]
    b = [s("b", 0, 10)]
    assert len(match_exact(a, b)) == 1
    assert len(match_overlap(a, b)) == 1


def test_empty_cases_are_null_with_a_reason_not_a_crash():
    both = precision_recall_f1(0, 0, 0)
    assert both["precision"] is None and both["recall"] is None and both["f1"] is None
    assert both["n_a"] == both["n_b"] == 0 and "Neither" in both["reason"]
    only_a = precision_recall_f1(0, 3, 0)
    assert only_a["precision"] is None and only_a["recall"] == 0.0 and only_a["f1"] == 0.0
    assert "precision is undefined" in only_a["reason"]
    only_b = precision_recall_f1(0, 0, 2)
    assert only_b["recall"] is None and only_b["precision"] == 0.0 and only_b["f1"] == 0.0


# --- Cohen's kappa -----------------------------------------------------------------


def test_kappa_on_a_two_by_two_table():
    #            B yes  B no
    #   A yes      4      2
    #   A no       1      3
    pairs = [(True, True)] * 4 + [(True, False)] * 2 + [(False, True)] * 1 + [(False, False)] * 3
    # po = 7/10; pe = 0.6·0.5 + 0.4·0.5 = 0.5; kappa = (0.7 - 0.5)/(1 - 0.5) = 0.4
    assert cohen_kappa(pairs) == {"value": approx(0.4), "n": 10}


def kappa_reference(table):
    """Kappa from a confusion matrix by the textbook formula, written independently."""
    n = sum(map(sum, table))
    po = sum(table[i][i] for i in range(len(table))) / n
    rows = [sum(r) / n for r in table]
    cols = [sum(r[j] for r in table) / n for j in range(len(table))]
    pe = sum(r * c for r, c in zip(rows, cols, strict=True))
    return (po - pe) / (1 - pe)


def test_kappa_on_three_categories_matches_the_reference_formula():
    a = ["quantity", "quantity", "event", "other", "other", "event"]
    b = ["quantity", "event", "event", "other", "quantity", "event"]
    # po = 4/6; A: q2 e2 o2, B: q2 e3 o1 → pe = (4 + 6 + 2)/36 = 1/3; kappa = (2/3 - 1/3)/(2/3) = 0.5
    result = cohen_kappa(zip(a, b, strict=True))
    assert result["value"] == approx(0.5) and result["n"] == 6
    order = ["quantity", "event", "other"]
    table = [[sum(1 for x, y in zip(a, b, strict=True) if x == r and y == c) for c in order] for r in order]
    assert result["value"] == approx(kappa_reference(table))


def test_kappa_leaves_out_pairs_with_a_missing_value():
    pairs = [("event", "event"), ("event", None), (None, None), ("quantity", "quantity")]
    # two usable pairs, both agreeing, two categories: po = 1, pe = 1/2 → kappa 1
    assert cohen_kappa(pairs) == {"value": 1.0, "n": 2}


def test_kappa_with_one_category_only_is_null_with_a_reason():
    result = cohen_kappa([("event", "event")] * 3)
    assert result["value"] is None and result["n"] == 3 and "undefined" in result["reason"]
    empty = cohen_kappa([])
    assert empty["value"] is None and empty["n"] == 0 and empty["reason"]


# --- Krippendorff's alpha ----------------------------------------------------------


def test_alpha_reproduces_krippendorffs_own_nominal_example():
    # Krippendorff (2011), "Computing Krippendorff's alpha-reliability", 4 coders x 12 units
    # with missing values; the nominal alpha printed there is 0.743.
    n = None
    data = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, n, n, n],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, n, 3],
        [n, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, n],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, n],
    ]
    result = krippendorff_nominal(data)
    assert round(result["value"], 3) == 0.743
    assert result["n"] == 11  # the last unit has a single value: not pairable


def test_alpha_with_a_single_value_or_no_pairable_unit_is_null():
    one_value = krippendorff_nominal([["event", "event", None], ["event", "event", "quantity"]])
    assert one_value["value"] is None and one_value["n"] == 2 and one_value["reason"]
    lonely = krippendorff_nominal([["event", None], [None, "quantity"]])
    assert lonely == {"value": None, "n": 0, "reason": "No unit has values from two annotators."}


def three_annotators():
    # Article 1, label claim; each line is one unit (a group of overlapping spans).
    return [
        s("a", 0, 10, claim_type="quantity", checkworthy=True, verdict="true"),
        s("b", 0, 10, claim_type="quantity", checkworthy=True, verdict="true"),
        s("c", 0, 8, claim_type="quantity", checkworthy=False, verdict="true"),
        s("a", 20, 30, claim_type="event", checkworthy=True, verdict="false"),
        s("b", 22, 30, claim_type="quantity", checkworthy=True, verdict="mixed"),
        s("b", 40, 50, claim_type="event", checkworthy=False, verdict="unchecked"),
        s("c", 41, 50, claim_type="event", checkworthy=False, verdict="unchecked"),
        s("a", 60, 70, claim_type=None, checkworthy=None, verdict="unchecked"),
        s("b", 60, 70, claim_type="other", checkworthy=True, verdict="unchecked"),
        s("c", 60, 70, claim_type="other", checkworthy=True, verdict="unchecked"),
        s("c", 80, 90, claim_type="prediction", checkworthy=True, verdict="unchecked"),
    ]


def test_spans_of_three_annotators_cluster_into_units_with_one_span_per_annotator():
    clusters = cluster_spans(three_annotators())
    assert [[(x.annotator, x.start) for x in c] for c in clusters] == [
        [("a", 0), ("b", 0), ("c", 0)],
        [("a", 20), ("b", 22)],
        [("b", 40), ("c", 41)],
        [("a", 60), ("b", 60), ("c", 60)],
        [("c", 80)],
    ]


def test_a_span_touching_two_of_another_annotators_joins_only_one_unit():
    spans = [s("a", 0, 10), s("a", 20, 30), s("b", 5, 25)]
    # b shares 5 characters with each; the tie goes to the closest boundaries, then the earlier span
    assert [[(x.annotator, x.start) for x in c] for c in cluster_spans(spans)] == [[("a", 0), ("b", 5)], [("a", 20)]]


def test_three_annotator_report_matches_hand_counts_and_the_krippendorff_package():
    spans = three_annotators()
    report = compute_agreement(spans, {1: {"a", "b", "c"}}, {1: 100}, ["claim"], ["a", "b", "c"])
    pairs = {(p["a"], p["b"]): p for p in report["pairs"]}
    assert list(pairs) == [("a", "b"), ("a", "c"), ("b", "c")]

    def prf(m):
        return (m["matches"], m["n_a"], m["n_b"], m["precision"], m["recall"], m["f1"])

    # a-b: exact [0,10) and [60,70): 2 of 3 and 4; overlap adds [20,30)~[22,30): 3
    assert prf(pairs["a", "b"]["exact"]) == (2, 3, 4, approx(2 / 4), approx(2 / 3), approx(4 / 7))
    assert prf(pairs["a", "b"]["overlap"]) == (3, 3, 4, approx(3 / 4), approx(1.0), approx(6 / 7))
    # a-c: exact [60,70) only; overlap adds [0,10)~[0,8)
    assert prf(pairs["a", "c"]["exact"]) == (1, 3, 4, approx(1 / 4), approx(1 / 3), approx(2 / 7))
    assert prf(pairs["a", "c"]["overlap"]) == (2, 3, 4, approx(2 / 4), approx(2 / 3), approx(4 / 7))
    # b-c: exact [60,70); overlap adds [0,10)~[0,8) and [40,50)~[41,50)
    assert prf(pairs["b", "c"]["exact"]) == (1, 4, 4, approx(1 / 4), approx(1 / 4), approx(1 / 4))
    assert prf(pairs["b", "c"]["overlap"]) == (3, 4, 4, approx(3 / 4), approx(3 / 4), approx(3 / 4))

    # kappa a-b on claim_type, matched pairs (q,q) (e,q) (None,o): the last is left out.
    # po = 1/2; A: q1 e1, B: q2 → pe = (1·2)/4 = 1/2 → kappa = 0
    assert pairs["a", "b"]["kappa"]["claim_type"] == {"value": approx(0.0), "n": 2}
    # checkworthy a-b: (T,T) (T,T) (None,T) → one category only → undefined
    assert pairs["a", "b"]["kappa"]["checkworthy"]["value"] is None
    assert pairs["a", "b"]["kappa"]["checkworthy"]["n"] == 2

    # alpha: the reliability matrix written out independently (coders x units, nan = missing)
    q, e, o, p, nan = 1, 2, 3, 4, np.nan
    claim_type = [
        [q, e, nan, nan, nan],
        [q, q, e, o, nan],
        [q, nan, e, o, p],
    ]
    expected = krippendorff.alpha(reliability_data=claim_type, level_of_measurement="nominal")
    assert report["alpha"]["claim_type"] == {"value": approx(expected), "n": 4}
    yes, no = 1, 0
    checkworthy = [
        [yes, yes, nan, nan, nan],
        [yes, yes, no, yes, nan],
        [no, nan, no, yes, yes],
    ]
    expected = krippendorff.alpha(reliability_data=checkworthy, level_of_measurement="nominal")
    assert report["alpha"]["checkworthy"] == {"value": approx(expected), "n": 4}

    # character alpha for "claim": one unit per character of the 100-character article
    coverage = {
        "a": [(0, 10), (20, 30), (60, 70)],
        "b": [(0, 10), (22, 30), (40, 50), (60, 70)],
        "c": [(0, 8), (41, 50), (60, 70), (80, 90)],
    }
    matrix = [[1 if any(x <= i < y for x, y in coverage[name]) else 0 for i in range(100)] for name in "abc"]
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    assert report["alpha"]["characters"]["claim"] == {"value": approx(expected), "n": 100}
    json.dumps(report, allow_nan=False)  # no NaN anywhere


def test_character_alpha_on_a_tiny_text_by_hand():
    # Ten characters; A marks [0,4), B marks [0,5). Units: 4 x (1,1), 1 x (0,1), 5 x (0,0).
    # Coincidences: o11 = 8, o00 = 10, o01 = o10 = 1; n = 20, n0 = 11, n1 = 9.
    # alpha = 1 - (n - 1)·(o01 + o10) / (2·n0·n1) = 1 - 19·2/198 = 80/99
    spans = [s("a", 0, 4), s("b", 0, 5)]
    result = character_alpha({1: 10}, {1: {"a", "b"}}, spans, "claim")
    assert result == {"value": approx(80 / 99), "n": 10}


def test_character_alpha_treats_an_annotator_who_skipped_an_article_as_missing():
    spans = [s("a", 0, 4), s("b", 0, 5), s("a", 0, 3, article=2)]
    # article 2 has a single coder: it adds no unit, so the figure is the one above
    result = character_alpha({1: 10, 2: 50}, {1: {"a", "b"}, 2: {"a"}}, spans, "claim")
    assert result == {"value": approx(80 / 99), "n": 10}


def test_character_alpha_for_an_unused_label_is_null():
    result = character_alpha({1: 10}, {1: {"a", "b"}}, [s("a", 0, 4)], "attribution")
    assert result["value"] is None and result["n"] == 10 and "attribution" in result["reason"]


def test_a_single_annotator_gives_no_pairs_and_null_alphas():
    report = compute_agreement([s("a", 0, 4)], {1: {"a"}}, {1: 10}, ["claim"], ["a"])
    assert report["pairs"] == []
    assert report["alpha"]["claim_type"]["value"] is None
    assert report["alpha"]["characters"]["claim"]["value"] is None
    json.dumps(report, allow_nan=False)


def test_a_pair_is_compared_only_on_articles_both_worked_on():
    spans = [s("a", 0, 4, article=1), s("b", 0, 4, article=1), s("a", 0, 4, article=2)]
    report = compute_agreement(spans, {1: {"a", "b"}, 2: {"a"}}, {1: 10, 2: 10}, ["claim"], ["a", "b"])
    (pair,) = report["pairs"]
    assert pair["articles"] == 1
    assert (pair["exact"]["n_a"], pair["exact"]["n_b"], pair["exact"]["f1"]) == (1, 1, 1.0)

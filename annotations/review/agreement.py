"""Inter-annotator agreement: span matching, Cohen's kappa and Krippendorff's alpha.

The first half is pure computation over plain :class:`Span` records, so every figure
can be checked by hand; the second half (:func:`agreement_report`) loads the live,
non-gold spans for a selection of articles, labels and annotators and assembles the
report that ``GET /api/agreement/``, the ``/review/agreement/`` page and the
``agreement`` command show. The definitions are written out in docs/review.md.

Every figure comes with the number of items it rests on. A figure that is undefined
(nothing to compare, or a single category so chance agreement is total) is ``None``
with a ``reason``, never NaN: JSON has no NaN and a reader must see why it is missing.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

import krippendorff
import numpy as np
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.db.models.functions import Length

from annotations.models import Annotation, Article, Completion, Label, Relation

CLAIM_LABEL = "claim"
# The claim attributes whose agreement is measured (kappa per pair, alpha over everyone).
AGREEMENT_FIELDS = ("claim_type", "checkworthy", "verdict")
MAX_ARTICLES = 1000


@dataclass(frozen=True)
class Span:
    id: int
    article: int
    annotator: str
    start: int
    end: int
    label: str
    claim_type: str | None = None
    checkworthy: bool | None = None
    verdict: str | None = None

    @property
    def key(self) -> tuple[int, int, int, str]:
        """Two spans match exactly when their keys are equal."""
        return (self.article, self.start, self.end, self.label)


def figure(value: float | None, n: int, reason: str | None = None) -> dict:
    """One reported number: ``value`` (None when undefined, then with a ``reason``) and ``n``."""
    if value is not None and not math.isfinite(value):
        value, reason = None, reason or "The figure is undefined for these items."
    result: dict = {"value": None if value is None else float(value), "n": n}
    if value is None:
        result["reason"] = reason or "The figure is undefined for these items."
    return result


# --- Span matching ------------------------------------------------------------------


def overlap(a: Span, b: Span) -> int:
    """Characters two spans share (0 unless they are on the same article with the same label)."""
    if a.article != b.article or a.label != b.label:
        return 0
    return max(0, min(a.end, b.end) - max(a.start, b.start))


def _candidate_order(a: Span, b: Span) -> tuple:
    # Largest overlap first; among equals the closest boundaries (smallest union), so an
    # exact match always wins over a containing span; then position and id, so the
    # result never depends on the order the database returned rows in.
    union = max(a.end, b.end) - min(a.start, b.start)
    return (-overlap(a, b), union, a.start, a.end, b.start, b.end, a.id, b.id)


def _by_group(spans: Iterable[Span]) -> dict[tuple[int, str], list[Span]]:
    groups: dict[tuple[int, str], list[Span]] = defaultdict(list)
    for span in spans:
        groups[(span.article, span.label)].append(span)
    return groups


def match_exact(reference: Sequence[Span], prediction: Sequence[Span]) -> list[tuple[Span, Span]]:
    """One-to-one pairs with the same article, start, end and label."""
    by_key: dict[tuple, list[Span]] = defaultdict(list)
    for span in sorted(prediction, key=lambda s: s.id):
        by_key[span.key].append(span)
    pairs = []
    for span in sorted(reference, key=lambda s: (s.key, s.id)):
        candidates = by_key.get(span.key)
        if candidates:
            pairs.append((span, candidates.pop(0)))
    return pairs


def match_overlap(reference: Sequence[Span], prediction: Sequence[Span]) -> list[tuple[Span, Span]]:
    """One-to-one pairs sharing at least one character with the same label, chosen greedily.

    Candidate pairs are taken in order of largest overlap (ties: smallest union, then
    position, then id); a pair is kept when neither span is matched yet. Exact matches
    are always among the kept pairs, so overlap figures are never below exact ones.
    """
    predicted = _by_group(prediction)
    candidates = []
    for group, spans in _by_group(reference).items():
        for a in spans:
            for b in predicted.get(group, ()):
                if overlap(a, b) > 0:
                    candidates.append((_candidate_order(a, b), a, b))
    candidates.sort(key=lambda c: c[0])
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for _, a, b in candidates:
        if a.id not in used_a and b.id not in used_b:
            used_a.add(a.id)
            used_b.add(b.id)
            pairs.append((a, b))
    return sorted(pairs, key=lambda p: (p[0].key, p[0].id))


def precision_recall_f1(matches: int, n_a: int, n_b: int) -> dict:
    """A is the reference and B the prediction: precision = matches/n_b, recall = matches/n_a."""
    result: dict = {
        "precision": matches / n_b if n_b else None,
        "recall": matches / n_a if n_a else None,
        "f1": 2 * matches / (n_a + n_b) if n_a + n_b else None,
        "matches": matches,
        "n_a": n_a,
        "n_b": n_b,
    }
    if n_a == 0 and n_b == 0:
        result["reason"] = "Neither annotator has spans here."
    elif n_b == 0:
        result["reason"] = "B has no spans: precision is undefined."
    elif n_a == 0:
        result["reason"] = "A has no spans: recall is undefined."
    return result


# --- Chance-corrected agreement -----------------------------------------------------


def cohen_kappa(pairs: Iterable[tuple[Hashable | None, Hashable | None]]) -> dict:
    """Cohen's kappa over (A's value, B's value) pairs; pairs with a missing value are left out."""
    items = [(a, b) for a, b in pairs if a is not None and b is not None]
    n = len(items)
    if n == 0:
        return figure(None, 0, "No matched pair where both annotators gave a value.")
    observed = Fraction(sum(a == b for a, b in items), n)
    count_a = Counter(a for a, _ in items)
    count_b = Counter(b for _, b in items)
    expected = sum(Fraction(count_a[k] * count_b[k], n * n) for k in count_a.keys() & count_b.keys())
    if expected == 1:
        return figure(None, n, "Both annotators used one and the same value throughout: kappa is undefined.")
    return figure(float((observed - expected) / (1 - expected)), n)


def krippendorff_nominal(reliability: Sequence[Sequence[Hashable | None]]) -> dict:
    """Krippendorff's alpha (nominal) over a coders-by-units table; None marks a missing value.

    ``n`` is the number of pairable units (units with values from at least two coders):
    the others carry no information about agreement.
    """
    if not reliability or not reliability[0]:
        return figure(None, 0, "No units to compare.")
    columns = list(zip(*reliability, strict=True))
    pairable = [[v for v in column if v is not None] for column in columns]
    pairable = [values for values in pairable if len(values) >= 2]
    if not pairable:
        return figure(None, 0, "No unit has values from two annotators.")
    domain = sorted({v for values in pairable for v in values}, key=repr)
    if len(domain) < 2:
        return figure(None, len(pairable), "Only one value was used: alpha is undefined.")
    code = {value: float(index) for index, value in enumerate(domain)}
    data = np.array([[np.nan if v is None or v not in code else code[v] for v in row] for row in reliability])
    value = krippendorff.alpha(reliability_data=data, value_domain=list(code.values()), level_of_measurement="nominal")
    return figure(float(value), len(pairable))


def character_alpha(lengths: dict[int, int], coders: dict[int, set[str]], spans: Iterable[Span], label: str) -> dict:
    """Krippendorff's alpha (nominal) with one unit per character of each article.

    Each annotator who coded an article gives each of its characters 1 (inside one of
    their ``label`` spans) or 0; annotators who did not code the article are missing.
    Only articles coded by two or more annotators contribute units.
    """
    marks: dict[tuple[int, str], np.ndarray] = {}
    for article, names in coders.items():
        if len(names) >= 2:
            for name in names:
                marks[(article, name)] = np.zeros(lengths[article], dtype=np.int64)
    for span in spans:
        row = marks.get((span.article, span.annotator))
        if row is not None and span.label == label:
            row[span.start : span.end] = 1
    blocks = []
    for article, names in sorted(coders.items()):
        if len(names) >= 2 and lengths[article]:
            ones = sum(marks[(article, name)] for name in names)
            blocks.append(np.column_stack([len(names) - ones, ones]))
    if not blocks:
        return figure(None, 0, "No article with text was coded by two annotators.")
    counts = np.concatenate(blocks)
    n = int(counts.shape[0])
    if not counts[:, 1].any():
        return figure(None, n, f"No annotator used the label {label!r} on these articles.")
    if not counts[:, 0].any():
        return figure(None, n, f"Every character carries the label {label!r}: alpha is undefined.")
    return figure(float(krippendorff.alpha(value_counts=counts, level_of_measurement="nominal")), n)


def cluster_spans(spans: Sequence[Span]) -> list[list[Span]]:
    """Group spans of several annotators into units: at most one span per annotator each.

    Overlapping spans with the same label are joined greedily in the order used by
    :func:`match_overlap`; two groups merge only if no annotator is in both. For two
    annotators the clusters are exactly the overlap-matched pairs plus singletons.
    """
    parent = {span.id: span.id for span in spans}
    members = {span.id: {span.annotator} for span in spans}

    def find(node: int) -> int:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    candidates = []
    for group in _by_group(spans).values():
        for a, b in itertools.combinations(sorted(group, key=lambda s: s.id), 2):
            if a.annotator != b.annotator and overlap(a, b) > 0:
                candidates.append((_candidate_order(a, b), a, b))
    candidates.sort(key=lambda c: c[0])
    for _, a, b in candidates:
        root_a, root_b = find(a.id), find(b.id)
        if root_a != root_b and not members[root_a] & members[root_b]:
            parent[root_b] = root_a
            members[root_a] |= members.pop(root_b)
    clusters: dict[int, list[Span]] = defaultdict(list)
    for span in spans:
        clusters[find(span.id)].append(span)
    ordered = [sorted(c, key=lambda s: (s.annotator, s.id)) for c in clusters.values()]
    return sorted(ordered, key=lambda c: (c[0].article, min(s.start for s in c), c[0].label, c[0].id))


def field_alpha(clusters: Sequence[Sequence[Span]], annotators: Sequence[str], field: str) -> dict:
    """Krippendorff's alpha for one claim field over span clusters (units), annotators as coders."""
    table = []
    for name in annotators:
        row = []
        for cluster in clusters:
            span = next((s for s in cluster if s.annotator == name), None)
            row.append(None if span is None else getattr(span, field))
        table.append(row)
    return krippendorff_nominal(table)


RelationKey = tuple[tuple[int, int, int, str], tuple[int, int, int, str], str]


def match_relations(relations_a: Sequence[RelationKey], relations_b: Sequence[RelationKey]) -> int:
    """Relations agree when both ends match exactly (article, start, end, label) and the type is the same."""
    counts_a, counts_b = Counter(relations_a), Counter(relations_b)
    return sum(min(count, counts_b[key]) for key, count in counts_a.items())


def pair_report(
    a: str,
    b: str,
    spans_a: Sequence[Span],
    spans_b: Sequence[Span],
    articles: int,
    relations_a: Sequence[RelationKey] = (),
    relations_b: Sequence[RelationKey] = (),
) -> dict:
    """Span matching, relation matching and claim-field kappa for annotator A (reference) against B."""
    exact = match_exact(spans_a, spans_b)
    matched = match_overlap(spans_a, spans_b)
    claims = [(x, y) for x, y in matched if x.label == CLAIM_LABEL]
    return {
        "a": a,
        "b": b,
        "articles": articles,
        "exact": precision_recall_f1(len(exact), len(spans_a), len(spans_b)),
        "overlap": precision_recall_f1(len(matched), len(spans_a), len(spans_b)),
        "relations": precision_recall_f1(match_relations(relations_a, relations_b), len(relations_a), len(relations_b)),
        "kappa": {
            field: cohen_kappa((getattr(x, field), getattr(y, field)) for x, y in claims) for field in AGREEMENT_FIELDS
        },
    }


def compute_agreement(
    spans: Sequence[Span],
    coders: dict[int, set[str]],
    lengths: dict[int, int],
    labels: Sequence[str],
    annotators: Sequence[str],
    relations: Sequence[tuple[int, int, str]] = (),
) -> dict:
    """The whole report from plain data (no database): pairs, field alphas, character alphas.

    ``relations`` are ``(from span id, to span id, type)``; each is compared through its
    two spans' exact keys.

    ``coders`` says which annotators coded which article; a pair is compared on the
    articles both of them coded only, so unstarted work does not count as disagreement.
    """
    coded_by: dict[str, set[int]] = defaultdict(set)
    for article, names in coders.items():
        for name in names:
            coded_by[name].add(article)
    by_id = {span.id: span for span in spans}
    relation_keys: dict[str, list[tuple[int, RelationKey]]] = defaultdict(list)
    for from_id, to_id, kind in relations:
        head, tail = by_id.get(from_id), by_id.get(to_id)
        if head is not None and tail is not None:
            relation_keys[head.annotator].append((head.article, (head.key, tail.key, kind)))
    pairs = []
    for a, b in itertools.combinations(sorted(annotators), 2):
        shared = coded_by[a] & coded_by[b]
        spans_a = [s for s in spans if s.annotator == a and s.article in shared]
        spans_b = [s for s in spans if s.annotator == b and s.article in shared]
        relations_a = [key for article, key in relation_keys[a] if article in shared]
        relations_b = [key for article, key in relation_keys[b] if article in shared]
        pairs.append(pair_report(a, b, spans_a, spans_b, len(shared), relations_a, relations_b))
    claim_spans = [s for s in spans if s.label == CLAIM_LABEL]
    clusters = cluster_spans(claim_spans)
    ordered = sorted(annotators)
    alpha: dict = {field: field_alpha(clusters, ordered, field) for field in AGREEMENT_FIELDS}
    alpha["characters"] = {label: character_alpha(lengths, coders, spans, label) for label in labels}
    return {
        "articles": sorted(coders),
        "labels": list(labels),
        "annotators": ordered,
        "pairs": pairs,
        "alpha": alpha,
    }


# --- Queries ------------------------------------------------------------------------


@dataclass(frozen=True)
class Selection:
    """Validated filters: ``None`` means everything."""

    articles: list[int] | None = None
    labels: list[str] | None = None
    annotators: list[str] | None = None
    # Without article ids: the articles (a queryset) the caller may review, None for all.
    scope: QuerySet | None = None


def _split(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    return [item.strip() for part in value for item in str(part).split(",") if item.strip()]


def parse_selection(*, article=None, label=None, annotator=None, articles=None) -> Selection:
    """Turn ``article``/``label``/``annotator`` (comma lists) into a Selection, or raise a per-field error.

    ``articles`` (a queryset) bounds what may be selected: the articles of the projects the
    caller reviews; an id outside it is as unknown as a missing one. Without ``article`` the
    selection is that whole queryset.
    """
    errors: dict[str, str] = {}
    ids: list[int] = []
    for item in _split(article):
        # isdigit() alone accepts "²" and other digits int() refuses; 18 digits fit any id column.
        if not (item.isascii() and item.isdigit() and len(item) <= 18):
            errors["article"] = f"article must be article ids separated by commas; {item!r} is not an id."
            break
        ids.append(int(item))
    if len(ids) > MAX_ARTICLES:
        errors["article"] = f"article may list at most {MAX_ARTICLES} ids."
    if ids and "article" not in errors:
        scope = Article.objects.all() if articles is None else articles
        known = set(scope.filter(id__in=ids).values_list("id", flat=True))
        unknown = [str(i) for i in ids if i not in known]
        if unknown:
            errors["article"] = f"Unknown article id(s): {', '.join(unknown)}."
    slugs = _split(label)
    if slugs:
        known_labels = set(Label.objects.filter(slug__in=slugs).values_list("slug", flat=True))
        unknown = [s for s in slugs if s not in known_labels]
        if unknown:
            errors["label"] = f"Unknown label(s): {', '.join(unknown)}."
    names = _split(annotator)
    if names:
        known_users = set(get_user_model().objects.filter(username__in=names).values_list("username", flat=True))
        unknown = [n for n in names if n not in known_users]
        if unknown:
            errors["annotator"] = f"Unknown annotator(s): {', '.join(unknown)}."
    if errors:
        raise ValidationError(errors)
    return Selection(
        articles=sorted(set(ids)) or None,
        scope=None if articles is None or ids else articles,
        labels=list(dict.fromkeys(slugs)) or None,
        annotators=sorted(set(names)) or None,
    )


def agreement_report(selection: Selection | None = None, *, viewer=None) -> dict:
    """Agreement among the live, non-gold spans of the selection (six queries, whatever its size).

    With a ``viewer``, only the spans ``Annotation.objects.visible_to`` lets them read are
    counted (the views allow reviewers only, who read everyone's); the command passes none.
    """
    selection = selection or Selection()
    readable = Annotation.objects.all() if viewer is None else Annotation.objects.visible_to(viewer)
    work = readable.filter(is_gold=False)
    done = Completion.objects.all()
    if selection.articles is not None:
        work = work.filter(article_id__in=selection.articles)
        done = done.filter(article_id__in=selection.articles)
    elif selection.scope is not None:
        work = work.filter(article__in=selection.scope.values("pk"))
        done = done.filter(article__in=selection.scope.values("pk"))
    if selection.annotators is not None:
        work = work.filter(annotator__username__in=selection.annotators)
        done = done.filter(annotator__username__in=selection.annotators)

    # An annotator coded an article if they left a span on it (any label) or marked it done.
    coders: dict[int, set[str]] = defaultdict(set)
    pairs = work.values_list("article_id", "annotator__username").distinct().order_by()
    for article_id, name in itertools.chain(pairs, done.values_list("article_id", "annotator__username")):
        coders[article_id].add(name)

    rows = work.filter(article_id__in=list(coders))
    if selection.labels is not None:
        rows = rows.filter(label__slug__in=selection.labels)
    spans = [
        Span(
            id=row["id"],
            article=row["article_id"],
            annotator=row["annotator__username"],
            start=row["start"],
            end=row["end"],
            label=row["label__slug"],
            claim_type=row["claim_type__slug"],
            checkworthy=row["checkworthy"],
            verdict=row["verdict__slug"],
        )
        for row in rows.values(
            "id",
            "article_id",
            "annotator__username",
            "start",
            "end",
            "label__slug",
            "claim_type__slug",
            "checkworthy",
            "verdict__slug",
        ).order_by("id")
    ]
    # Length() counts characters (code points) on SQLite and PostgreSQL alike: no need to load texts.
    lengths = dict(
        Article.objects.filter(id__in=list(coders)).annotate(n=Length("text")).values_list("id", "n").order_by()
    )
    # Several projects may each have a label with the same slug: one column per slug.
    labels = selection.labels or list(
        dict.fromkeys(Label.objects.order_by("order", "slug").values_list("slug", flat=True))
    )
    annotators = selection.annotators or sorted({name for names in coders.values() for name in names})
    coders = {article: names & set(annotators) for article, names in coders.items()}
    relations = Relation.objects.filter(from_annotation__in=rows, to_annotation__in=rows).values_list(
        "from_annotation_id", "to_annotation_id", "type"
    )
    return compute_agreement(spans, coders, lengths, labels, annotators, list(relations.order_by()))

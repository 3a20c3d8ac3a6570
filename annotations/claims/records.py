"""A claim as an export record: ours (``claims``), schema.org ClaimReview, and AVeriTeC.

Every function takes a claim read with ``Claim.objects.with_relations()`` (project,
verdict, evidence and appearances with their spans and articles prefetched) plus the
project's verdict scale, and touches the database no further, so an export streams
any number of claims in a fixed number of queries per chunk.

Verdicts become ratings through the project's vocabulary:

- ClaimReview ``reviewRating``: ``alternateName`` is the verdict's ``claimreview_name``
  (its name when empty); the numeric scale is the project's verdicts whose X-Fact label
  is a degree of truth (``true``, ``mostly_true``, ``partly_true``, ``mostly_false``,
  ``false``), in the vocabulary's order, truest first: with the defaults ``true`` = 5 =
  ``bestRating`` down to ``false`` = 1 = ``worstRating``. A verdict off that scale
  (``unverifiable``) has ``ratingValue`` null.
- AVeriTeC ``label``: by X-Fact label, ``true``/``mostly_true`` → Supported,
  ``false``/``mostly_false`` → Refuted, ``partly_true`` → Conflicting
  Evidence/Cherrypicking, anything else (``complicated``, ``other``) → Not Enough Evidence.

A claim "has a verdict" when it has one other than the default ``unchecked``; only
those are ClaimReview and AVeriTeC records.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from rest_framework.fields import DateTimeField

from annotations.claims.models import Claim, ClaimAppearance
from annotations.models import Verdict
from annotations.vocabulary import DEFAULT_VERDICT

TRUTH_SCALE = ("true", "mostly_true", "partly_true", "mostly_false", "false")
AVERITEC_LABELS = {
    "true": "Supported",
    "mostly_true": "Supported",
    "false": "Refuted",
    "mostly_false": "Refuted",
    "partly_true": "Conflicting Evidence/Cherrypicking",
}
NOT_ENOUGH_EVIDENCE = "Not Enough Evidence"
# Our claim types as AVeriTeC's (Numerical, Event/Property, Causal, Quote Verification, Position Statement).
AVERITEC_CLAIM_TYPES = {
    "quantity": "Numerical Claim",
    "causation": "Causal Claim",
    "event": "Event/Property Claim",
    "prediction": "Event/Property Claim",
    "laws-rules": "Event/Property Claim",
    "personal-experience": "Event/Property Claim",
}

_timestamp = DateTimeField().to_representation


@dataclass(frozen=True)
class Scale:
    """A project's verdicts as ratings: ``{verdict_id: value}``, best and worst."""

    values: dict[int, int]
    best: int
    worst: int

    @classmethod
    def of(cls, verdicts: Iterable[Verdict]) -> Scale:
        ranked = [v for v in sorted(verdicts, key=lambda v: (v.order, v.slug)) if v.xfact_label in TRUTH_SCALE]
        size = len(ranked)
        return cls({v.pk: size - index for index, v in enumerate(ranked)}, size if size else 1, 1)


def scales_for(project_ids: Iterable[int]) -> dict[int, Scale]:
    """One query: the rating scale of each project."""
    by_project: dict[int, list[Verdict]] = {}
    for verdict in Verdict.objects.filter(project_id__in=set(project_ids)):
        by_project.setdefault(verdict.project_id, []).append(verdict)
    return {pk: Scale.of(verdicts) for pk, verdicts in by_project.items()}


def has_verdict(claim: Claim) -> bool:
    return claim.verdict_id is not None and claim.verdict.slug != DEFAULT_VERDICT


def live_appearances(claim: Claim) -> list[ClaimAppearance]:
    return [a for a in claim.appearances.all() if a.annotation.deleted_at is None]


def claim_record(claim: Claim, *, annotator_name=lambda user_id, username: username) -> dict:
    """Our own record: the claim, its verdict and evidence, and every appearance with its offsets."""
    return {
        "id": claim.pk,
        "project": claim.project.slug,
        "statement": claim.statement,
        "language": claim.language,
        "claimant": claim.claimant or None,
        "claim_date": claim.claim_date.isoformat() if claim.claim_date else None,
        "status": claim.status,
        "verdict": claim.verdict.slug if claim.verdict_id else None,
        "verdict_name": claim.verdict.name if claim.verdict_id else None,
        "rating_explanation": claim.rating_explanation,
        "review_url": claim.review_url,
        "evidence": [
            {"source": e.source.slug, "name": e.source.name, "url": e.url, "relation": e.relation}
            for e in claim.evidence.all()
        ],
        "appearances": [
            {
                "annotation_id": a.annotation_id,
                "article_id": a.annotation.article_id,
                "external_id": a.annotation.article.external_id,
                "language": a.annotation.article.language,
                "direction": a.annotation.article.direction,
                "start": a.annotation.start,
                "end": a.annotation.end,
                "text": a.annotation.text,
                "url": a.annotation.article.url,
                "annotator": annotator_name(a.annotation.annotator_id, a.annotation.annotator.username),
            }
            for a in live_appearances(claim)
        ],
        "created_by": annotator_name(claim.created_by_id, claim.created_by.username),
        "created_at": _timestamp(claim.created_at),
        "updated_at": _timestamp(claim.updated_at),
        "version": claim.version,
    }


def _organisation() -> dict:
    return {
        "@type": "Organization",
        "name": settings.CLAIMREVIEW_AUTHOR_NAME,
        "url": settings.CLAIMREVIEW_AUTHOR_URL or None,
    }


def claimreview(claim: Claim, scale: Scale) -> dict:
    """schema.org ClaimReview JSON-LD for a claim with a verdict."""
    verdict = claim.verdict
    appearances = []
    seen = set()
    for appearance in live_appearances(claim):
        article = appearance.annotation.article
        if article.pk in seen:
            continue
        seen.add(article.pk)
        appearances.append(
            {
                "@type": "CreativeWork",
                "url": article.url,
                "headline": article.title,
                "inLanguage": article.language,
                "datePublished": article.published_at.date().isoformat() if article.published_at else None,
            }
        )
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": claim.review_url,
        "claimReviewed": claim.statement,
        "inLanguage": claim.language,
        "datePublished": claim.updated_at.date().isoformat(),
        "author": _organisation(),
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": scale.values.get(verdict.pk),
            "bestRating": scale.best,
            "worstRating": scale.worst,
            "alternateName": verdict.claimreview_name or verdict.name,
            "ratingExplanation": claim.rating_explanation or None,
        },
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": claim.claimant} if claim.claimant else None,
            "datePublished": claim.claim_date.isoformat() if claim.claim_date else None,
            "appearance": appearances,
        },
    }


def averitec(claim: Claim) -> dict:
    """The claim with AVeriTeC's field and label names."""
    appearances = live_appearances(claim)
    first = appearances[0].annotation.article if appearances else None
    types = []
    for appearance in appearances:
        slug = appearance.annotation.claim_type.slug if appearance.annotation.claim_type_id else ""
        name = AVERITEC_CLAIM_TYPES.get(slug)
        if name and name not in types:
            types.append(name)
    return {
        "claim_id": claim.pk,
        "claim": claim.statement,
        "label": AVERITEC_LABELS.get(claim.verdict.xfact_label or "", NOT_ENOUGH_EVIDENCE),
        "justification": claim.rating_explanation,
        # AVeriTeC writes dates day first: 25-08-2020.
        "claim_date": claim.claim_date.strftime("%d-%m-%Y") if claim.claim_date else None,
        "speaker": claim.claimant or None,
        "original_claim_url": first.url if first else None,
        "reporting_source": (first.publisher or None) if first else None,
        "fact_checking_article": claim.review_url,
        "claim_types": types,
        # AVeriTeC's question-answer pairs; our evidence links carry no questions.
        "questions": [],
    }

"""Reads of the review pages: the articles with work on them, the annotators to compare, the
vocabulary the adjudication page draws."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from annotations.models import ANNOTATOR_GROUP, Article, ClaimType, Label, Verdict


def articles_for_review(*, language: str | None = None) -> QuerySet[Article]:
    """Articles with work on them, with their span, annotator and gold counts (one query)."""
    live_work = Q(annotations__deleted_at__isnull=True, annotations__is_gold=False)
    live_gold = Q(annotations__deleted_at__isnull=True, annotations__is_gold=True)
    articles = (
        Article.objects.only("id", "title", "language", "direction")
        .annotate(
            spans=Count("annotations", filter=live_work),
            people=Count("annotations__annotator", filter=live_work, distinct=True),
            gold=Count("annotations", filter=live_gold),
        )
        .filter(spans__gt=0)
        .order_by("id")
    )
    return articles.filter(language=language) if language else articles


def annotator_usernames() -> QuerySet:
    """Whoever has live work or is in the annotator group, by username: the agreement page's choices."""
    return (
        get_user_model()
        .objects.filter(
            Q(annotations__is_gold=False, annotations__deleted_at__isnull=True) | Q(groups__name=ANNOTATOR_GROUP)
        )
        .distinct()
        .order_by("username")
        .values_list("username", flat=True)
    )


def review_vocabulary() -> dict:
    """Labels, claim types and verdicts as the adjudication page draws them."""
    return {
        "labels": [
            {"slug": slug, "name": name, "color": color}
            for slug, name, color in Label.objects.values_list("slug", "name", "color")
        ],
        "claim_types": [{"slug": s, "name": n} for s, n in ClaimType.objects.values_list("slug", "name")],
        "verdicts": [{"slug": s, "name": n} for s, n in Verdict.objects.values_list("slug", "name")],
    }

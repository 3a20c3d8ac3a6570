"""Reads of the review pages: the articles with work on them, the annotators to compare, the
vocabulary the adjudication page draws."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet

from annotations.models import ANNOTATOR_GROUP, Article, ClaimType, Label, Verdict


def articles_for_review(*, user, language: str | None = None, project=None) -> QuerySet[Article]:
    """Articles with work on them that ``user`` reviews (of ``project``), with their span,
    annotator and gold counts (one query)."""
    live_work = Q(annotations__deleted_at__isnull=True, annotations__is_gold=False)
    live_gold = Q(annotations__deleted_at__isnull=True, annotations__is_gold=True)
    reviewable = Article.objects.reviewable_by(user)
    if project is not None:
        reviewable = reviewable.filter(project=project)
    articles = (
        reviewable.only("id", "title", "language", "direction")
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


def review_vocabulary(*, project_id: int) -> dict:
    """The project's labels, claim types and verdicts as the adjudication page draws them."""
    labels = Label.objects.filter(project_id=project_id)
    claim_types = ClaimType.objects.filter(project_id=project_id)
    verdicts = Verdict.objects.filter(project_id=project_id)
    return {
        "labels": [
            {"slug": slug, "name": name, "color": color}
            for slug, name, color in labels.values_list("slug", "name", "color")
        ],
        "claim_types": [{"slug": s, "name": n} for s, n in claim_types.values_list("slug", "name")],
        "verdicts": [{"slug": s, "name": n} for s, n in verdicts.values_list("slug", "name")],
    }

"""Reads that pages and endpoints share, next to the models they read (HackSoft's selectors).

Queryset methods on the models (``Annotation.objects.visible_to``, ``owned_by``) hold the
ownership rules; the functions here build the page-shaped reads on top of them.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from rest_framework.fields import DateTimeField

from annotations.models import (
    ANNOTATOR_GROUP,
    Annotation,
    Article,
    Assignment,
    ClaimType,
    Completion,
    Label,
    SourceLink,
    Verdict,
)
from annotations.serializers import AnnotationSerializer


def articles_with_progress(*, user) -> QuerySet[Article]:
    """Articles with the user's span count, done flag and assignment, in one query."""
    my_spans = (
        Annotation.objects.filter(article=OuterRef("pk"), annotator=user)
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Article.objects.visible_to(user)
        .only("id", "title", "language", "direction", "publisher", "published_at")
        .annotate(
            my_annotations=Coalesce(Subquery(my_spans, output_field=IntegerField()), Value(0)),
            done=Exists(Completion.objects.filter(article=OuterRef("pk"), annotator=user)),
            assigned=Exists(Assignment.objects.filter(article=OuterRef("pk"), annotator=user)),
        )
        .order_by("-assigned", "id")
    )


def article_languages(*, user, project=None) -> list[str]:
    """Every language an article the user may see (of ``project``) is written in, sorted."""
    articles = Article.objects.visible_to(user)
    if project is not None:
        articles = articles.filter(project=project)
    return list(articles.order_by("language").values_list("language", flat=True).distinct())


def is_done(*, article: Article, user) -> bool:
    return Completion.objects.filter(article=article, annotator=user).exists()


# The columns behind AnnotationSerializer's fields; annotator and source_links are added.
_SPAN_COLUMNS = {
    "id": "id",
    "article": "article_id",
    "start": "start",
    "end": "end",
    "text": "text",
    "label": "label__slug",
    "claim_type": "claim_type__slug",
    "checkworthy": "checkworthy",
    "verdict": "verdict__slug",
    "note": "note",
    "created_at": "created_at",
    "updated_at": "updated_at",
    "version": "version",
    "is_gold": "is_gold",
}


def annotation_records(*, annotations: QuerySet[Annotation], username: str) -> list[dict]:
    """The API's annotation records (``AnnotationSerializer``) for the page, built from two
    flat queries: with a thousand spans the serializer's per-object work took most of the
    page's time. tests/ui/test_annotate_page.py holds the two representations equal.
    """
    rows = list(annotations.order_by("start", "end", "id").values(*_SPAN_COLUMNS.values()))
    links: dict[int, list[dict]] = {row["id"]: [] for row in rows}
    for link in (
        SourceLink.objects.filter(annotation__in=annotations)
        .order_by("id")
        .values("annotation_id", "source__slug", "source__name", "url", "relation")
    ):
        links[link["annotation_id"]].append(
            {
                "source": link["source__slug"],
                "name": link["source__name"],
                "url": link["url"],
                "relation": link["relation"],
            }
        )
    timestamp = DateTimeField().to_representation
    records = []
    for row in rows:
        computed = {
            "annotator": username,
            "source_links": links[row["id"]],
            "created_at": timestamp(row["created_at"]),
            "updated_at": timestamp(row["updated_at"]),
        }
        # In the serializer's key order; a field it gains without a column here is a KeyError.
        records.append(
            {
                field: computed[field] if field in computed else row[_SPAN_COLUMNS[field]]
                for field in AnnotationSerializer.Meta.fields
            }
        )
    return records


def deleted_annotations(*, article: Article, user, limit: int) -> tuple[list[dict], bool]:
    """The user's most recently deleted annotations on the article (at most ``limit``) for the
    annotate page's "Deleted spans" section, and whether there are older ones (the page asks the API)."""
    rows = list(
        Annotation.all_objects.owned_by(user)
        .filter(article=article, annotator=user, deleted_at__isnull=False)
        .order_by("-deleted_at", "-id")
        .values("id", "start", "end", "text", "label__slug", "deleted_at")[: limit + 1]
    )
    timestamp = DateTimeField().to_representation
    spans = [
        {
            "id": row["id"],
            "start": row["start"],
            "end": row["end"],
            "text": row["text"],
            "label": row["label__slug"],
            "deleted_at": timestamp(row["deleted_at"]),
        }
        for row in rows[:limit]
    ]
    return spans, len(rows) > limit


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

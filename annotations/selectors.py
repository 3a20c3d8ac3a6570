"""Reads of the article pages, next to the models they read (HackSoft's selectors).

Queryset methods on the models (``Annotation.objects.visible_to``, ``owned_by``) hold the
ownership rules; the functions here build the page-shaped reads on top of them.
"""

from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from annotations.models import (
    Annotation,
    Article,
    Assignment,
    Completion,
    SourceLink,
)
from annotations.page_json import api_timestamps
from annotations.serializers import AnnotationSerializer


def articles_with_progress(*, user) -> QuerySet[Article]:
    """Articles with the user's span count, done flag and assignment, in one query."""
    my_spans = (
        Annotation.objects.own_layer(user)
        .filter(article=OuterRef("pk"))
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


def filtered_articles(
    *, user, language: str = "", status: str = "", q: str = "", statuses: tuple[str, str, str]
) -> QuerySet[Article]:
    """The article list as the user filtered it, in its order (assigned first, then by id).
    ``statuses`` names the not-started, in-progress and done states."""
    not_started, in_progress, done = statuses
    articles = articles_with_progress(user=user)
    if language:
        articles = articles.filter(language=language)
    if status == done:
        articles = articles.filter(done=True)
    elif status == in_progress:
        articles = articles.filter(done=False, my_annotations__gt=0)
    elif status == not_started:
        articles = articles.filter(done=False, my_annotations=0)
    if q:
        articles = articles.filter(title__icontains=q)
    return articles


def article_neighbours(*, articles: QuerySet[Article], article: Article, user) -> tuple[int | None, int | None]:
    """The ids before and after ``article`` in the order of ``articles`` (a
    ``filtered_articles`` list), whether or not the article itself is still in it (marking
    it done can take it out of an "in progress" list). Two queries."""
    assigned = Assignment.objects.filter(article=article, annotator=user).exists()
    ids = articles.values_list("id", flat=True)
    if assigned:
        after = ids.filter(Q(assigned=True, id__gt=article.pk) | Q(assigned=False)).order_by("-assigned", "id")
        before = ids.filter(assigned=True, id__lt=article.pk).order_by("-id")
    else:
        after = ids.filter(assigned=False, id__gt=article.pk).order_by("id")
        before = ids.filter(Q(assigned=False, id__lt=article.pk) | Q(assigned=True)).order_by("assigned", "-id")
    return before.first(), after.first()


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
    "version": "version",
    "is_gold": "is_gold",
}


# Left out of the page's records: the page never shows them, and reading 10,000 timestamps
# for 5,000 spans was a third of the annotate page's server time.
PAGE_RECORD_OMITS = frozenset({"created_at", "updated_at"})


def annotation_records(*, annotations: QuerySet[Annotation], username: str) -> list[dict]:
    """The API's annotation records (``AnnotationSerializer``) for the page, but for
    ``PAGE_RECORD_OMITS``, built from two flat queries: with a thousand spans the
    serializer's per-object work took most of the page's time.
    tests/ui/test_annotate_page.py holds the two representations equal.
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
    fields = [field for field in AnnotationSerializer.Meta.fields if field not in PAGE_RECORD_OMITS]
    records = []
    for row in rows:
        computed = {"annotator": username, "source_links": links[row["id"]]}
        # In the serializer's key order; a field it gains without a column here is a KeyError.
        records.append({field: computed[field] if field in computed else row[_SPAN_COLUMNS[field]] for field in fields})
    return records


def deleted_annotations(*, article: Article, user, limit: int) -> tuple[list[dict], bool]:
    """The user's most recently deleted annotations on the article (at most ``limit``) for the
    annotate page's "Deleted spans" section, and whether there are older ones (the page asks the API)."""
    rows = list(
        Annotation.all_objects.owned_by(user)
        .own_layer(user)
        .filter(article=article, deleted_at__isnull=False)
        .order_by("-deleted_at", "-id")
        .values("id", "start", "end", "text", "label__slug", "deleted_at")[: limit + 1]
    )
    timestamp = api_timestamps()
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

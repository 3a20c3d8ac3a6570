"""Pages: the article list and the annotator. Span writes go through the REST API (api.py).

The annotate page embeds what it needs to draw itself (article text, vocabularies and
the user's own spans) as JSON through ``json_script``, so it renders without a second
request; the page's JavaScript (static/js/annotate.js) saves through ``/api/``.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language_info
from django.views.decorators.http import require_POST
from rest_framework.fields import DateTimeField

from annotations.models import (
    Annotation,
    Article,
    Assignment,
    ClaimType,
    Completion,
    Label,
    SourceLink,
    Verdict,
)
from annotations.review import DONE, IN_PROGRESS, NOT_STARTED
from annotations.serializers import AnnotationSerializer

ARTICLES_PER_PAGE = 25
DELETED_SHOWN = 100  # deleted spans embedded in the annotate page; older ones come from the API

# The same three states as the staff progress page (annotations.review).
STATUS_NOT_STARTED, STATUS_IN_PROGRESS, STATUS_DONE = NOT_STARTED, IN_PROGRESS, DONE
STATUS_CHOICES = [
    (STATUS_NOT_STARTED, "Not started"),
    (STATUS_IN_PROGRESS, "In progress"),
    (STATUS_DONE, "Done"),
]
STATUS_NAMES = dict(STATUS_CHOICES)


def _articles_with_progress(user) -> QuerySet[Article]:
    """Articles with the user's span count, done flag and assignment, in one query."""
    my_spans = (
        Annotation.objects.filter(article=OuterRef("pk"), annotator=user)
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Article.objects.only("id", "title", "language", "direction", "publisher", "published_at")
        .annotate(
            my_annotations=Coalesce(Subquery(my_spans, output_field=IntegerField()), Value(0)),
            done=Exists(Completion.objects.filter(article=OuterRef("pk"), annotator=user)),
            assigned=Exists(Assignment.objects.filter(article=OuterRef("pk"), annotator=user)),
        )
        .order_by("-assigned", "id")
    )


def _language_name(code: str) -> str:
    try:
        return f"{get_language_info(code)['name']} ({code})"
    except KeyError:
        return code  # "und" and tags Django does not know


def _status(article: Article) -> str:
    if article.done:
        return STATUS_DONE
    return STATUS_IN_PROGRESS if article.my_annotations else STATUS_NOT_STARTED


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    articles = _articles_with_progress(request.user)
    language = request.GET.get("language", "")
    status = request.GET.get("status", "")
    q = request.GET.get("q", "").strip()
    if language:
        articles = articles.filter(language=language)
    if status == STATUS_DONE:
        articles = articles.filter(done=True)
    elif status == STATUS_IN_PROGRESS:
        articles = articles.filter(done=False, my_annotations__gt=0)
    elif status == STATUS_NOT_STARTED:
        articles = articles.filter(done=False, my_annotations=0)
    if q:
        articles = articles.filter(title__icontains=q)

    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    for article in page:
        article.status = _status(article)
        article.status_name = STATUS_NAMES[article.status]

    # Pagination links keep the filters.
    query = request.GET.copy()
    query.pop("page", None)
    languages = [
        (code, _language_name(code))
        for code in Article.objects.order_by("language").values_list("language", flat=True).distinct()
    ]
    return render(
        request,
        "annotations/article_list.html",
        {
            "page": page,
            "languages": languages,
            "statuses": STATUS_CHOICES,
            "filters": {"language": language, "status": status, "q": q},
            "filtered": bool(language or status or q),
            "query": query.urlencode(),
        },
    )


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


def _spans_as_json(annotations: QuerySet[Annotation], username: str) -> list[dict]:
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


def _deleted_spans(article: Article, user) -> tuple[list[dict], bool]:
    """My most recently deleted spans on the article (at most DELETED_SHOWN) for the page's
    "Deleted spans" section, and whether there are older ones (the page asks the API)."""
    rows = list(
        Annotation.all_objects.owned_by(user)
        .filter(article=article, annotator=user, deleted_at__isnull=False)
        .order_by("-deleted_at", "-id")
        .values("id", "start", "end", "text", "label__slug", "deleted_at")[: DELETED_SHOWN + 1]
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
        for row in rows[:DELETED_SHOWN]
    ]
    return spans, len(rows) > DELETED_SHOWN


@login_required
def article_annotate(request: HttpRequest, pk: int) -> HttpResponse:
    # The project comes along: the page links to the project's claims.
    article = get_object_or_404(Article.objects.select_related("project"), pk=pk)
    # This page is the annotator's own workspace: even a reviewer sees only their own
    # spans here (adjudication has its own page).
    mine = Annotation.objects.visible_to(request.user).filter(article=article, annotator=request.user)
    deleted, more_deleted = _deleted_spans(article, request.user)
    data = {
        "article": {
            "id": article.pk,
            "title": article.title,
            "text": article.text,
            "language": article.language,
            "direction": article.direction,
        },
        "labels": list(Label.objects.values("slug", "name", "color", "shortcut")),
        "claimTypes": list(ClaimType.objects.values("slug", "name", "description")),
        "verdicts": list(Verdict.objects.values("slug", "name")),
        "relations": [{"value": value, "name": name} for value, name in SourceLink.Relation.choices],
        "annotations": _spans_as_json(mine, request.user.get_username()),
        "deleted": deleted,
        "moreDeleted": more_deleted,
        "user": request.user.get_username(),
        "urls": {
            "api": "/api/",
            "done": reverse("article-done", args=[article.pk]),
            "list": reverse("article-list"),
        },
    }
    done = Completion.objects.filter(article=article, annotator=request.user).exists()
    return render(
        request,
        "annotations/article_annotate.html",
        {"article": article, "data": data, "done": done, "labels": data["labels"]},
    )


@require_POST
@login_required
def article_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the article done for me (``done=1``) or take it back (``done=0``)."""
    article = get_object_or_404(Article.objects.only("id"), pk=pk)
    done = request.POST.get("done", "1") not in ("0", "false", "")
    if done:
        Completion.objects.get_or_create(article=article, annotator=request.user)
    else:
        Completion.objects.filter(article=article, annotator=request.user).delete()
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"done": done})
    return redirect("article-annotate", pk=article.pk)

"""Pages: the article list and the annotator. Span writes go through the REST API (api.py).

The annotate page embeds what it needs to draw itself (article text, vocabularies and
the user's own spans) as JSON through ``json_script``, so it renders without a second
request; the page's JavaScript (static/js/annotate.js) saves through ``/api/``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language_info
from django.views.decorators.http import require_POST

from annotations import selectors
from annotations.models import (
    Annotation,
    Article,
    ClaimType,
    Completion,
    Label,
    Project,
    SourceLink,
    Verdict,
)
from annotations.page_json import page_json
from annotations.page_rules import page_rules
from annotations.review.workflow import DONE, IN_PROGRESS, NOT_STARTED
from annotations.suggestions.selectors import suggestions_enabled

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


def language_name(code: str) -> str:
    """A BCP 47 tag's display name, e.g. "French (fr)"; the tag alone when Django does not know it."""
    try:
        return f"{get_language_info(code)['name']} ({code})"
    except KeyError:
        return code  # "und" and tags Django does not know


def status_of(article: Article) -> str:
    if article.done:
        return STATUS_DONE
    return STATUS_IN_PROGRESS if article.my_annotations else STATUS_NOT_STARTED


def list_filters(request: HttpRequest) -> dict[str, str]:
    """The article list's filters from a query string: the list and the annotate page's
    next / previous use the same ones."""
    return {
        "language": request.GET.get("language", ""),
        "status": request.GET.get("status", ""),
        "q": request.GET.get("q", "").strip(),
    }


def filtered_articles(request: HttpRequest, filters: dict[str, str]):
    statuses = (STATUS_NOT_STARTED, STATUS_IN_PROGRESS, STATUS_DONE)
    return selectors.filtered_articles(user=request.user, statuses=statuses, **filters)


def filter_query(filters: dict[str, str]) -> str:
    return urlencode({key: value for key, value in filters.items() if value})


def article_table_context(request: HttpRequest, *, project: Project | None = None) -> dict[str, Any]:
    """The filtered, paginated article table and its filter form, on the article list and
    on a project's home (its articles only): the same filters, in the same order, as the
    annotate page's previous and next."""
    filters = list_filters(request)
    articles = filtered_articles(request, filters)
    if project is not None:
        articles = articles.filter(project=project)

    page = Paginator(articles, ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    for article in page:
        article.status = status_of(article)
        article.status_name = STATUS_NAMES[article.status]

    # Pagination links keep the filters.
    query = request.GET.copy()
    query.pop("page", None)
    codes = selectors.article_languages(user=request.user, project=project)
    return {
        "page": page,
        "languages": [(code, language_name(code)) for code in codes],
        "statuses": STATUS_CHOICES,
        "filters": filters,
        "filtered": any(filters.values()),
        "query": query.urlencode(),
        # Each article link carries the filters, so its page moves through the same list.
        "filter_query": filter_query(filters),
    }


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    return render(request, "annotations/article_list.html", article_table_context(request))


@login_required
def article_annotate(request: HttpRequest, pk: int) -> HttpResponse:
    # The project comes along: the page links to the project's claims.
    article = get_object_or_404(Article.objects.visible_to(request.user).select_related("project"), pk=pk)
    # This page is the annotator's own workspace: even a reviewer sees only their own
    # spans here, never the gold layer (adjudication has its own page).
    mine = Annotation.objects.visible_to(request.user).own_layer(request.user).filter(article=article)
    deleted, more_deleted = selectors.deleted_annotations(article=article, user=request.user, limit=DELETED_SHOWN)
    filters = list_filters(request)
    # Previous and next within the article's project, in the order of its home's list.
    previous, following = selectors.article_neighbours(
        articles=filtered_articles(request, filters).filter(project_id=article.project_id),
        article=article,
        user=request.user,
    )
    suffix = f"?{filter_query(filters)}" if filter_query(filters) else ""

    def annotate_url(neighbour: int | None) -> str | None:
        return None if neighbour is None else reverse("article-annotate", args=[neighbour]) + suffix

    nav = {
        "list": reverse("project-home", args=[article.project.slug]) + suffix,
        "previous": annotate_url(previous),
        "next": annotate_url(following),
    }
    data = {
        "article": {
            "id": article.pk,
            "title": article.title,
            "text": article.text,
            "language": article.language,
            "direction": article.direction,
        },
        # The article's project's vocabulary. Retired labels stay for the colours and names of
        # the spans that have them, without a button or a key: new spans cannot take them.
        "labels": [
            {**row, "shortcut": "" if row["retired"] else row["shortcut"]}
            for row in Label.objects.filter(project_id=article.project_id).values(
                "slug", "name", "color", "shortcut", "retired"
            )
        ],
        "claimTypes": list(
            ClaimType.objects.filter(project_id=article.project_id, retired=False).values("slug", "name", "description")
        ),
        "verdicts": list(Verdict.objects.filter(project_id=article.project_id, retired=False).values("slug", "name")),
        "relations": [{"value": value, "name": name} for value, name in SourceLink.Relation.choices],
        "annotations": selectors.annotation_records(annotations=mine, username=request.user.get_username()),
        "deleted": deleted,
        "moreDeleted": more_deleted,
        "user": request.user.get_username(),
        "rules": page_rules(),
        "nav": nav,
        "suggestions": {"enabled": suggestions_enabled(article)},
        "urls": {
            "api": "/api/",
            "done": reverse("article-done", args=[article.pk]),
            "list": reverse("project-home", args=[article.project.slug]),
        },
    }
    done = selectors.is_done(article=article, user=request.user)
    return render(
        request,
        "annotations/article_annotate.html",
        {
            "article": article,
            "data": data,
            "data_script": page_json(data, "annotator-data"),
            "done": done,
            "labels": [label for label in data["labels"] if not label["retired"]],
            "nav": nav,
        },
    )


@require_POST
@login_required
def article_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the article done for me (``done=1``) or take it back (``done=0``)."""
    article = get_object_or_404(Article.objects.visible_to(request.user).only("id"), pk=pk)
    done = request.POST.get("done", "1") not in ("0", "false", "")
    if done:
        Completion.objects.get_or_create(article=article, annotator=request.user)
    else:
        Completion.objects.filter(article=article, annotator=request.user).delete()
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"done": done})
    return redirect("article-annotate", pk=article.pk)

"""Pages: the article list and the annotator. Span writes go through the REST API (api.py).

The annotate page embeds what it needs to draw itself (article text, vocabularies and
the user's own spans) as JSON through ``json_script``, so it renders without a second
request; the page's JavaScript (static/js/annotate.js) saves through ``/api/``.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language_info
from django.views.decorators.http import require_POST

from annotations import selectors
from annotations.models import (
    Annotation,
    Article,
    ClaimType,
    Completion,
    Label,
    SourceLink,
    Verdict,
)
from annotations.review.workflow import DONE, IN_PROGRESS, NOT_STARTED

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
    try:
        return f"{get_language_info(code)['name']} ({code})"
    except KeyError:
        return code  # "und" and tags Django does not know


def status_of(article: Article) -> str:
    if article.done:
        return STATUS_DONE
    return STATUS_IN_PROGRESS if article.my_annotations else STATUS_NOT_STARTED


@login_required
def article_list(request: HttpRequest) -> HttpResponse:
    articles = selectors.articles_with_progress(user=request.user)
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
        article.status = status_of(article)
        article.status_name = STATUS_NAMES[article.status]

    # Pagination links keep the filters.
    query = request.GET.copy()
    query.pop("page", None)
    languages = [(code, language_name(code)) for code in selectors.article_languages(user=request.user)]
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


@login_required
def article_annotate(request: HttpRequest, pk: int) -> HttpResponse:
    # The project comes along: the page links to the project's claims.
    article = get_object_or_404(Article.objects.visible_to(request.user).select_related("project"), pk=pk)
    # This page is the annotator's own workspace: even a reviewer sees only their own
    # spans here (adjudication has its own page).
    mine = Annotation.objects.visible_to(request.user).filter(article=article, annotator=request.user)
    deleted, more_deleted = selectors.deleted_annotations(article=article, user=request.user, limit=DELETED_SHOWN)
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
            "done": done,
            "labels": [label for label in data["labels"] if not label["retired"]],
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

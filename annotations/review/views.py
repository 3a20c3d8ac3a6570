"""Reviewer and staff pages (progress, agreement, adjudication) and their JSON endpoints.

Every view here shows several annotators' work, so every one of them is for reviewers
and staff only (``is_reviewer``): annotators get 403, anonymous visitors are sent to
the login page (pages) or refused (API). Writes go through ``annotations.review``.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.api import StrictJSONParser
from annotations.models import Annotation, Article, Label, Project, Role, reviews_somewhere
from annotations.page_rules import page_rules
from annotations.projects.selectors import require_project_role, visible_project_or_404
from annotations.review import selectors
from annotations.review import workflow as review
from annotations.review.agreement import AGREEMENT_FIELDS, agreement_report, parse_selection
from annotations.serializers import AnnotationInputSerializer


def _require(request: HttpRequest, check) -> None:
    if not check(request.user):
        raise PermissionDenied("This page is for reviewers and staff.")


def _is_staff(user) -> bool:
    return user.is_authenticated and (user.is_staff or user.is_superuser)


def _ratio(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


def _pair_rows(report: dict) -> list[dict]:
    """The agreement table, formatted here so the template only prints."""
    rows = []
    for pair in report["pairs"]:
        cells = []
        for kind in ("exact", "overlap", "relations"):
            m = pair[kind]
            counted = "relations" if kind == "relations" else "spans"
            basis = f"{m['matches']} matches; A has {m['n_a']} {counted}, B {m['n_b']}."
            reason = f" {m['reason']}" if "reason" in m else ""
            for name in ("precision", "recall", "f1"):
                cells.append(
                    {
                        "name": f"{kind}-{name}",
                        "text": _ratio(m[name]),
                        "small": f"({m['matches']}/{m['n_a']}/{m['n_b']})" if name == "f1" else "",
                        "title": basis + reason,
                        "undefined": m[name] is None,
                    }
                )
        for field in AGREEMENT_FIELDS:
            k = pair["kappa"][field]
            cells.append(
                {
                    "name": f"kappa-{field}",
                    "text": _ratio(k["value"]),
                    "small": f"(n={k['n']})",
                    "title": k.get("reason", f"{k['n']} matched claim pairs with a {field} from both."),
                    "undefined": k["value"] is None,
                }
            )
        rows.append({"a": pair["a"], "b": pair["b"], "articles": pair["articles"], "cells": cells})
    return rows


def _alpha_rows(report: dict) -> list[dict]:
    rows = []
    for field in AGREEMENT_FIELDS:
        a = report["alpha"][field]
        rows.append({"name": field, "units": "matched claim spans", "variable": field, **_alpha_cell(a)})
    for label, a in report["alpha"]["characters"].items():
        rows.append(
            {"name": f"characters-{label}", "units": "characters", "variable": f"label {label}", **_alpha_cell(a)}
        )
    return rows


def _alpha_cell(a: dict) -> dict:
    return {"text": _ratio(a["value"]), "n": a["n"], "reason": a.get("reason", "")}


def _reviewable(user, project: Project | None):
    """The articles an agreement may cover: those the user reviews (of ``project``)."""
    articles = Article.objects.reviewable_by(user)
    return articles.filter(project=project) if project is not None else articles


def _reviewable_projects(user, project: Project | None):
    if project is not None:
        return [project]
    return Project.objects.filter(pk__in=Article.objects.reviewable_by(user).values("project_id"))


# --- Pages --------------------------------------------------------------------------


def _article_to_review(request, article_id: int) -> Article:
    """404 outside the caller's projects (as for a missing article), 403 below reviewer there."""
    article = get_object_or_404(Article.objects.visible_to(request.user).select_related("project"), pk=article_id)
    require_project_role(request.user, article.project, Role.REVIEWER)
    return article


def _project_to_review(request) -> Project | None:
    """``?project=``: 404 for a project the caller cannot see, 403 below reviewer there."""
    slug = request.GET.get("project", "").strip()
    if not slug:
        return None
    project = visible_project_or_404(request.user, slug)
    require_project_role(request.user, project, Role.REVIEWER)
    return project


@login_required
def review_index(request: HttpRequest) -> HttpResponse:
    project = _project_to_review(request)  # first: an outsider of the project meets 404, not 403
    _require(request, reviews_somewhere)
    language = request.GET.get("language", "").strip()
    articles = selectors.articles_for_review(user=request.user, language=language or None, project=project)
    return render(request, "review/index.html", {"articles": articles, "language": language})


@login_required
def review_progress(request: HttpRequest) -> HttpResponse:
    _require(request, _is_staff)
    language = request.GET.get("language", "").strip()
    people, articles = review.progress(language=language or None)
    return render(
        request,
        "review/progress.html",
        {"people": people, "articles": articles, "language": language, "statuses": review.STATUSES},
    )


@login_required
def review_agreement(request: HttpRequest) -> HttpResponse:
    project = _project_to_review(request)
    _require(request, reviews_somewhere)
    params = {name: request.GET.get(name, "") for name in ("article", "label", "annotator")}
    params["annotator"] = ",".join(request.GET.getlist("annotator"))
    errors: dict[str, list[str]] = {}
    report = None
    try:
        selection = parse_selection(**params, articles=_reviewable(request.user, project))
    except DjangoValidationError as exc:
        errors = exc.message_dict
    else:
        report = agreement_report(selection, viewer=request.user)
    chosen = set(params["annotator"].split(",")) if params["annotator"] else set()
    people = selectors.annotator_usernames()
    return render(
        request,
        "review/agreement.html",
        {
            "report": report,
            "pair_rows": _pair_rows(report) if report else [],
            "alpha_rows": _alpha_rows(report) if report else [],
            "errors": errors,
            "params": params,
            "labels": Label.objects.filter(project__in=_reviewable_projects(request.user, project)),
            "people": [(name, name in chosen) for name in people],
            "fields": AGREEMENT_FIELDS,
        },
        status=400 if errors else 200,
    )


def _id_template(name: str) -> str:
    return reverse(name, args=[0]).replace("/0/", "/{id}/")


@login_required
def review_article(request: HttpRequest, article_id: int) -> HttpResponse:
    article = _article_to_review(request, article_id)
    config = {
        **selectors.review_vocabulary(project_id=article.project_id),
        "rules": page_rules(),
        "urls": {
            "state": reverse("api-review-article", args=[article.pk]),
            "gold": reverse("api-review-gold", args=[article.pk]),
            # "{id}" stands for a span's id; the page fills it in.
            "accept": _id_template("api-review-accept"),
            "reject": _id_template("api-review-reject"),
            "annotation": _id_template("annotation-detail"),
        },
    }
    return render(
        request,
        "review/article.html",
        {"article": article, "state": review.adjudication_state(article, viewer=request.user), "config": config},
    )


# --- API ----------------------------------------------------------------------------


NOT_A_REVIEWER = "Only reviewers and staff may see several annotators' work."


class AgreementView(APIView):
    """Agreement between annotators on the selected articles, labels and annotators."""

    # The role is checked after the lookup, in the project: outsiders meet 404 first.
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("project", str, description="Project slug (404 for one you cannot see)."),
            OpenApiParameter("article", str, description="Article id or comma-separated ids (default: all)."),
            OpenApiParameter("label", str, description="Label slug or comma-separated slugs (default: all)."),
            OpenApiParameter("annotator", str, description="Comma-separated usernames (default: everyone)."),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        project = _project_to_review(request)
        if not reviews_somewhere(request.user):
            raise PermissionDenied(NOT_A_REVIEWER)
        selection = parse_selection(
            article=request.query_params.getlist("article"),
            label=request.query_params.getlist("label"),
            annotator=request.query_params.getlist("annotator"),
            articles=_reviewable(request.user, project),
        )
        return Response(agreement_report(selection, viewer=request.user))


class ReviewArticleView(APIView):
    """Every annotator's spans on one article, grouped into rows, with the gold layer."""

    # The role is checked after the lookup, in the project: outsiders meet 404 first.
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, article_id: int) -> Response:
        article = _article_to_review(request, article_id)
        return Response(review.adjudication_state(article, viewer=request.user))


class DecisionView(APIView):
    # The role is checked after the lookup, in the project: outsiders meet 404 first.
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [StrictJSONParser]
    action = ""

    @extend_schema(request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, annotation_id: int) -> Response:
        # Any span of the caller's projects: a member below reviewer hears 403 from the workflow.
        in_my_projects = Annotation.objects.filter(article__in=Article.objects.visible_to(request.user))
        candidate = get_object_or_404(in_my_projects.select_related("article"), pk=annotation_id)
        if self.action == "accept":
            gold = review.gold_accept(reviewer=request.user, annotation_id=candidate.pk)
            result = {"gold": gold.pk}
        else:
            review.gold_reject(reviewer=request.user, annotation_id=candidate.pk)
            result = {"gold": None}
        return Response({**result, "state": review.adjudication_state(candidate.article, viewer=request.user)})


class AcceptView(DecisionView):
    """Accept a span into the gold layer (idempotent)."""

    action = "accept"


class RejectView(DecisionView):
    """Reject a span: it stays out of the gold layer."""

    action = "reject"


class GoldSpanInput(AnnotationInputSerializer):
    """A gold span as the reviewer sends it: the annotation API's input, the article in the URL."""

    # None removes an inherited field (DRF's way); the article is in the URL, a new span has no version.
    article = None  # type: ignore[assignment]
    version = None  # type: ignore[assignment]


class GoldAddView(APIView):
    """The reviewer adds a gold span of their own (same boundaries and label twice: one span)."""

    # The role is checked after the lookup, in the project: outsiders meet 404 first.
    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [StrictJSONParser]

    @extend_schema(request=GoldSpanInput, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, article_id: int) -> Response:
        article = _article_to_review(request, article_id)
        data = GoldSpanInput(data=request.data)
        data.is_valid(raise_exception=True)
        gold, created = review.gold_add(reviewer=request.user, article=article, **data.validated_data)
        return Response(
            {"gold": gold.pk, "state": review.adjudication_state(article, viewer=request.user)},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

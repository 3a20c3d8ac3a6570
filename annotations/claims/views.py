"""Claim pages: a project's claims, and one claim with its appearances side by side.

Both pages are for the project's members (others get 404). The verdict form posts
here and goes through ``services.claim_update`` like the API; everything else (new
claim, "Same as…") is done from the annotate page through the API (static/js/claims.js).
"""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from annotations.claims import records, services
from annotations.claims.models import Claim
from annotations.models import Annotation, Project, Verdict

CLAIMS_PER_PAGE = 50
CONTEXT_CHARACTERS = 80  # of article text shown on each side of an appearance


def _project(request: HttpRequest, slug: str) -> Project:
    return get_object_or_404(Project.objects.visible_to(request.user), slug=slug)


@login_required
def claim_list(request: HttpRequest, slug: str) -> HttpResponse:
    project = _project(request, slug)
    claims = (
        Claim.objects.filter(project=project)
        .select_related("verdict")
        .with_appearance_count()
        .order_by("-updated_at", "-id")
    )
    filters = {key: request.GET.get(key, "").strip() for key in ("status", "verdict", "language", "q")}
    if filters["status"] in Claim.Status.values:
        claims = claims.filter(status=filters["status"])
    if filters["verdict"]:
        claims = claims.filter(verdict__slug=filters["verdict"])
    if filters["language"]:
        claims = claims.filter(language__iexact=filters["language"])
    if filters["q"]:
        claims = claims.filter(statement__icontains=filters["q"][:200])
    page = Paginator(claims, CLAIMS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "claims/list.html",
        {
            "project": project,
            "page": page,
            "filters": filters,
            "filtered": any(filters.values()),
            "statuses": Claim.Status.choices,
            "verdicts": Verdict.objects.filter(project=project).values_list("slug", "name"),
            "languages": Claim.objects.filter(project=project)
            .order_by("language")
            .values_list("language", flat=True)
            .distinct(),
            "query": query.urlencode(),
        },
    )


def _appearances(claim: Claim, user) -> tuple[list[dict], int]:
    """The appearances this user may read, each with a little of the text around it, and how many others there are."""
    readable = set(
        Annotation.objects.visible_to(user).filter(claim_appearance__claim=claim).values_list("pk", flat=True)
    )
    shown, hidden = [], 0
    for appearance in records.live_appearances(claim):
        span = appearance.annotation
        if span.pk not in readable:
            hidden += 1
            continue
        text = span.article.text
        before = text[max(0, span.start - CONTEXT_CHARACTERS) : span.start]
        after = text[span.end : span.end + CONTEXT_CHARACTERS]
        shown.append(
            {
                "span": span,
                "article": span.article,
                "before": ("…" if span.start > CONTEXT_CHARACTERS else "") + before,
                "after": after + ("…" if span.end + CONTEXT_CHARACTERS < len(text) else ""),
            }
        )
    return shown, hidden


@login_required
@require_http_methods(["GET", "POST"])
def claim_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = _project(request, slug)
    claim = get_object_or_404(Claim.objects.with_relations(), project=project, pk=pk)
    reviewer = services.is_claim_reviewer(request.user, project)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not reviewer:
            raise PermissionDenied("Only the project's reviewers and managers set a claim's verdict.")
        changes = {field: request.POST.get(field, "") for field in services.REVIEW_FIELDS}
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            version = None
        try:
            services.claim_update(user=request.user, claim=claim, expected_version=version, changes=changes)
        except ValidationError as exc:
            errors = exc.message_dict
        except services.StaleClaim:
            errors = {
                "__all__": [
                    "Someone else changed this claim meanwhile; here it is as it is now. Apply your edit again."
                ]
            }
        else:
            return redirect(reverse("claim-detail-page", args=[project.slug, claim.pk]))
        claim = Claim.objects.with_relations().get(pk=claim.pk)
    appearances, hidden = _appearances(claim, request.user)
    preview = None
    if records.has_verdict(claim):
        scale = records.scales_for([project.pk]).get(project.pk) or records.Scale({}, 1, 1)
        preview = json.dumps(records.claimreview(claim, scale), ensure_ascii=False, indent=2)
    return render(
        request,
        "claims/detail.html",
        {
            "project": project,
            "claim": claim,
            "appearances": appearances,
            "hidden_appearances": hidden,
            "reviewer": reviewer,
            "verdicts": Verdict.objects.filter(project=project),
            "statuses": Claim.Status.choices,
            "errors": errors,
            "form_errors": errors.get("__all__", []),
            "posted": request.POST if errors else None,
            "claimreview": preview,
            "download": f"{reverse('export')}?format=claimreview&project={project.slug}&claim={claim.pk}",
        },
        status=400 if errors else 200,
    )

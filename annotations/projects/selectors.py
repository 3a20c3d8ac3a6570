"""Reads about projects: the project a request names, the caller's role in it.

Which projects a user sees is ``Project.objects.visible_to`` (annotations/models.py); these
helpers only apply it, so a non-member meets the same 404 as for a project that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from annotations.models import Project, Role, has_project_role

ROLE_NAMES = {Role.ANNOTATOR: "annotators", Role.REVIEWER: "reviewers", Role.MANAGER: "managers"}


def visible_project_or_404(user, slug: str) -> Project:
    project = Project.objects.visible_to(user).filter(slug=slug).first() if isinstance(slug, str) else None
    if project is None:
        raise Http404("No such project.")
    return project


def require_project_role(user, project: Project, role: str) -> None:
    """403 for a member (or reviewer-group user) below ``role``; outsiders never get this
    far (they met a 404 when the project was looked up)."""
    if not has_project_role(user, project, role):
        raise PermissionDenied(f"Only the project's {ROLE_NAMES[role]} may do this.")


def may_create_projects(user) -> bool:
    """Staff, and anyone who manages a project, may start a new one (and manage it)."""
    from annotations.models import project_roles

    if not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or Role.MANAGER in project_roles(user).values()


# --- The project home: progress and the figures its charts draw ---------------------------

CHART_DAYS = 30


@dataclass
class AnnotatorProgress:
    username: str
    role: str
    done: int = 0
    in_progress: int = 0
    not_started: int = 0


def annotator_progress(*, project: Project) -> list[AnnotatorProgress]:
    """Per member who annotates: articles done, in progress (live spans, not done) and not
    started. Four queries whatever the number of members and articles."""
    from annotations.models import Annotation, Article, Completion, Membership

    total = Article.objects.filter(project=project).count()
    members = list(
        Membership.objects.filter(project=project).order_by("user__username").values_list("user__username", "role")
    )
    done = dict(
        Completion.objects.filter(article__project=project)
        .values("annotator__username")
        .annotate(n=Count("article", distinct=True))
        .values_list("annotator__username", "n")
        .order_by()
    )
    started = dict(
        Annotation.objects.filter(article__project=project, is_gold=False)
        .exclude(article__completions__annotator=F("annotator"))
        .values("annotator__username")
        .annotate(n=Count("article", distinct=True))
        .values_list("annotator__username", "n")
        .order_by()
    )
    rows = []
    for username, role in members:
        row = AnnotatorProgress(username=username, role=role, done=done.get(username, 0))
        row.in_progress = started.get(username, 0)
        row.not_started = max(total - row.done - row.in_progress, 0)
        rows.append(row)
    return rows


@dataclass
class Bar:
    name: str
    value: int | float
    color: str = ""
    note: str = ""


def label_distribution(*, project: Project, user) -> list[Bar]:
    """Live spans per label, among the spans the user may read."""
    from annotations.models import Annotation, Label

    counts = dict(
        Annotation.objects.visible_to(user)
        .filter(article__project=project, is_gold=False)
        .values("label_id")
        .annotate(n=Count("id"))
        .values_list("label_id", "n")
        .order_by()
    )
    return [
        Bar(name=name, value=counts.get(pk, 0), color=color)
        for pk, name, color in Label.objects.filter(project=project).values_list("pk", "name", "color")
    ]


def verdict_distribution(*, project: Project, user) -> list[Bar]:
    from annotations.models import Annotation, Verdict

    counts = dict(
        Annotation.objects.visible_to(user)
        .filter(article__project=project, is_gold=False, verdict__isnull=False)
        .values("verdict_id")
        .annotate(n=Count("id"))
        .values_list("verdict_id", "n")
        .order_by()
    )
    return [
        Bar(name=name, value=counts.get(pk, 0))
        for pk, name in Verdict.objects.filter(project=project).values_list("pk", "name")
    ]


def spans_per_day(*, project: Project, user, days: int = CHART_DAYS) -> list[Bar]:
    """Spans created per day over the last ``days`` days (UTC), empty days included."""
    from annotations.models import Annotation

    today = timezone.now().date()
    first = today - timedelta(days=days - 1)
    counts = dict(
        Annotation.objects.visible_to(user)
        .filter(article__project=project, is_gold=False, created_at__date__gte=first)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("id"))
        .values_list("day", "n")
        .order_by()
    )
    return [
        Bar(name=(first + timedelta(days=i)).isoformat(), value=counts.get(first + timedelta(days=i), 0))
        for i in range(days)
    ]


def agreement_per_label(*, project: Project, user) -> list[Bar]:
    """Krippendorff's alpha on characters, per label, over the project's articles: what a
    reviewer reads in the agreement report, one bar per label."""
    from annotations.models import Article, Label
    from annotations.review.agreement import Selection, agreement_report

    labels = list(Label.objects.filter(project=project).values_list("slug", flat=True))
    selection = Selection(labels=labels, scope=Article.objects.filter(project=project))
    report = agreement_report(selection, viewer=user)
    bars = []
    for label, alpha in report["alpha"]["characters"].items():
        value = alpha["value"]
        bars.append(
            Bar(
                name=label,
                value=0 if value is None else round(float(value), 3),
                note=alpha.get("reason", "") if value is None else f"n={alpha['n']}",
            )
        )
    return bars

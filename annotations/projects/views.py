"""Project pages: my projects, a project's home (articles, progress, charts), its settings
(managers) and its guidelines. Writes go through ``annotations.projects.services``; which
project a user may open is ``Project.objects.visible_to`` (404 for everyone else)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from annotations.models import (
    MAX_ANNOTATORS_PER_ARTICLE,
    ClaimType,
    Label,
    Membership,
    Project,
    Role,
    Verdict,
    has_project_role,
    project_role,
)
from annotations.projects import charts, services
from annotations.projects import selectors as project_selectors
from annotations.projects.guidelines import render_guidelines
from annotations.projects.selectors import may_create_projects, require_project_role, visible_project_or_404
from annotations.views import article_table_context

VOCABULARIES = {"label": Label, "claim_type": ClaimType, "verdict": Verdict}
VOCABULARY_TITLES = {"label": "Labels", "claim_type": "Claim types", "verdict": "Verdicts"}


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """``/``: my projects; with exactly one, straight to it (the list stays at /projects/)."""
    projects = list(Project.objects.visible_to(request.user).order_by("name", "slug")[:2])
    if len(projects) == 1:
        target = reverse("project-home", args=[projects[0].slug])
        query = request.GET.urlencode()
        return redirect(f"{target}?{query}" if query else target)
    return project_list(request)


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    """My projects, and for staff and managers the form that starts a new one."""
    projects = list(Project.objects.visible_to(request.user).order_by("name", "slug"))
    can_create = may_create_projects(request.user)
    for project in projects:
        project.role = project_role(request.user, project)
    return render(request, "projects/list.html", {"projects": projects, "can_create": can_create})


@require_POST
@login_required
def project_new(request: HttpRequest) -> HttpResponse:
    if not may_create_projects(request.user):
        return render(request, "projects/list.html", {"error": "Only staff and managers start projects."}, status=403)
    try:
        project = services.project_create(
            slug=request.POST.get("slug", "").strip(),
            name=request.POST.get("name", "").strip(),
            creator=request.user,
        )
    except ValidationError as exc:
        projects = Project.objects.visible_to(request.user).order_by("name", "slug")
        context = {"projects": projects, "can_create": True, "errors": exc.message_dict, "values": request.POST}
        return render(request, "projects/list.html", context, status=400)
    messages.success(request, f"Project {project.name} created with the default vocabulary.")
    return redirect("project-settings", slug=project.slug)


@login_required
def project_home(request: HttpRequest, slug: str) -> HttpResponse:
    project = visible_project_or_404(request.user, slug)
    article_table = article_table_context(request, project=project)
    reviewer = has_project_role(request.user, project, Role.REVIEWER)
    figures = {
        "labels": charts.bars(project_selectors.label_distribution(project=project, user=request.user)),
        "verdicts": charts.bars(project_selectors.verdict_distribution(project=project, user=request.user)),
        "days": charts.columns(project_selectors.spans_per_day(project=project, user=request.user)),
    }
    if reviewer:
        figures["agreement"] = charts.bars(
            project_selectors.agreement_per_label(project=project, user=request.user), maximum=1.0
        )
    return render(
        request,
        "projects/home.html",
        {
            "project": project,
            "role": project_role(request.user, project),
            "reviewer": reviewer,
            "manager": has_project_role(request.user, project, Role.MANAGER),
            "progress": project_selectors.annotator_progress(project=project) if reviewer else [],
            "figures": figures,
            **article_table,
        },
    )


@login_required
def project_guidelines(request: HttpRequest, slug: str) -> HttpResponse:
    project = visible_project_or_404(request.user, slug)
    return render(
        request, "projects/guidelines.html", {"project": project, "guidelines": render_guidelines(project.guidelines)}
    )


def _settings_context(project: Project, **extra) -> dict:
    vocabularies = []
    for kind, model in VOCABULARIES.items():
        entries = list(model.objects.filter(project=project).order_by("order", "slug"))
        for entry in entries:
            # The id of the entry's Save form: the inputs in the row's other cells join it.
            entry.form_id = f"e-{kind}-{entry.pk}"
        vocabularies.append(
            {"kind": kind, "title": VOCABULARY_TITLES[kind], "entries": entries, "labels": model is Label}
        )
    members = Membership.objects.filter(project=project).select_related("user").order_by("user__username")
    return {
        "project": project,
        "languages_text": ", ".join(project.languages),
        "vocabularies": vocabularies,
        "members": members,
        "roles": Role.choices,
        "max_annotators": MAX_ANNOTATORS_PER_ARTICLE,
        "guidelines_html": render_guidelines(project.guidelines),
        "errors": {},
        **extra,
    }


def _languages(text: str) -> list[str]:
    return [tag.strip() for tag in text.replace(";", ",").split(",") if tag.strip()]


def _flag(request: HttpRequest, name: str) -> bool:
    return request.POST.get(name) in ("on", "1", "true")


@login_required
def project_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """One page, several small forms; each POST names its ``action`` and goes through a service."""
    project = visible_project_or_404(request.user, slug)
    require_project_role(request.user, project, Role.MANAGER)
    if request.method != "POST":
        return render(request, "projects/settings.html", _settings_context(project))
    action = request.POST.get("action", "")
    handler = _ACTIONS.get(action)
    if handler is None:
        return render(
            request,
            "projects/settings.html",
            _settings_context(project, errors={"action": [f"Unknown action {action[:40]!r}."]}),
            status=400,
        )
    try:
        result = handler(request, project)
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return render(
            request,
            "projects/settings.html",
            _settings_context(project, errors=errors, failed=action, values=request.POST),
            status=400,
        )
    except services.LastManager as exc:
        return render(
            request,
            "projects/settings.html",
            _settings_context(project, errors={"username": [str(exc)]}, failed=action),
            status=409,
        )
    if isinstance(result, HttpResponse):
        return result
    messages.success(request, result)
    return redirect("project-settings", slug=project.slug)


def _save_project(request: HttpRequest, project: Project):
    changes = {
        "name": request.POST.get("name", "").strip(),
        "description": request.POST.get("description", ""),
        "guidelines": request.POST.get("guidelines", ""),
        "languages": _languages(request.POST.get("languages", "")),
        "allow_overlap": _flag(request, "allow_overlap"),
        "suggestions": _flag(request, "suggestions"),
    }
    raw = request.POST.get("annotators_per_article", "1").strip()
    if not raw.isdecimal() or len(raw) > 4:
        raise ValidationError({"annotators_per_article": ["Give a whole number."]})
    changes["annotators_per_article"] = int(raw)
    # What was typed, shown again for a preview or a refusal (nothing is saved then).
    draft = Project(slug=project.slug, **changes)
    typed = {"draft": draft, "languages_text": request.POST.get("languages", "")}
    if "preview" in request.POST:
        preview = render_guidelines(changes["guidelines"])
        return render(request, "projects/settings.html", _settings_context(project, preview=preview, **typed))
    try:
        services.project_update(project=project, changes=changes)
    except ValidationError as exc:
        context = _settings_context(project, errors=exc.message_dict, failed="project", **typed)
        return render(request, "projects/settings.html", context, status=400)
    return "Settings saved."


def _vocabulary_model(request: HttpRequest):
    kind = request.POST.get("kind", "")
    if kind not in VOCABULARIES:
        raise ValidationError({"kind": [f"Unknown vocabulary {kind[:40]!r}."]})
    return kind, VOCABULARIES[kind]


def _entry_values(request: HttpRequest, model, *, creating: bool) -> dict:
    values = {"name": request.POST.get("name", "").strip()}
    if creating:
        values["slug"] = request.POST.get("slug", "").strip()
    order = request.POST.get("order", "").strip()
    if order:
        if not order.isdecimal() or len(order) > 5:
            raise ValidationError({"order": ["Give a whole number."]})
        values["order"] = int(order)
    if not creating:
        values["retired"] = _flag(request, "retired")
    if model is Label:
        if request.POST.get("color"):
            values["color"] = request.POST["color"].strip()
        values["shortcut"] = request.POST.get("shortcut", "").strip()
    return values


def _add_entry(request: HttpRequest, project: Project):
    kind, model = _vocabulary_model(request)
    entry = services.vocabulary_create(
        model=model, project=project, values=_entry_values(request, model, creating=True)
    )
    return f"{VOCABULARY_TITLES[kind][:-1]} {entry.name} added."


def _edit_entry(request: HttpRequest, project: Project):
    _, model = _vocabulary_model(request)
    raw = request.POST.get("id", "")
    entry = model.objects.filter(project=project, pk=int(raw)).first() if raw.isdecimal() and len(raw) < 19 else None
    if entry is None:
        raise ValidationError({"id": ["No such entry in this project."]})
    entry = services.vocabulary_update(entry=entry, changes=_entry_values(request, model, creating=False))
    return f"{entry.name} saved."


def _set_member(request: HttpRequest, project: Project):
    username = request.POST.get("username", "").strip()
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ValidationError({"username": [f"Unknown user {username[:150]!r}."]})
    _, outcome = services.membership_set(project=project, user=user, role=request.POST.get("role", ""))
    return f"{username}: {outcome}."


def _remove_member(request: HttpRequest, project: Project):
    username = request.POST.get("username", "").strip()
    user = get_user_model().objects.filter(username=username).first()
    if user is None or not services.membership_remove(project=project, user=user):
        raise ValidationError({"username": [f"{username[:150]} is not a member."]})
    return f"{username} removed."


_ACTIONS = {
    "project": _save_project,
    "add-entry": _add_entry,
    "edit-entry": _edit_entry,
    "set-member": _set_member,
    "remove-member": _remove_member,
}

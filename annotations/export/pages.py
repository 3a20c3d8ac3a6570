"""The export page: a form whose submit is the download itself.

The form is a plain ``GET`` to ``/api/export/`` with the chosen parameters; the browser
sends the session cookie, the API streams the file (``Content-Disposition: attachment``)
and the browser saves it. No JavaScript holds the corpus in memory, and the page offers
only values the API accepts (formats and layers from annotations.export.options,
languages, labels and annotators from the project).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from annotations import selectors
from annotations.export.options import FORMATS, LAYERS
from annotations.models import SEED_PROJECT, Project
from annotations.projects.selectors import visible_project_or_404
from annotations.views import language_name

FORMAT_NAMES = {
    "jsonl": "JSON Lines: one article a line, with its spans",
    "doccano": "doccano: one article a line, spans as [start, end, label]",
    "spans": "Spans: one span a line, for pandas",
    "w3c": "W3C Web Annotation: one span a line",
}
LAYER_NAMES = {
    "annotations": "Annotators' spans",
    "gold": "Gold spans (reviewed)",
    "all": "Both",
}


@login_required
@require_GET
def project_export(request: HttpRequest, slug: str) -> HttpResponse:
    project = visible_project_or_404(request.user, slug)
    choices = selectors.export_choices(project=project, user=request.user)
    context = {
        "project": project,
        "formats": [(value, FORMAT_NAMES.get(value, value)) for value in FORMATS],
        "layers": [(value, LAYER_NAMES.get(value, value)) for value in LAYERS],
        "languages": [(code, language_name(code)) for code in choices["languages"]],
        "labels": choices["labels"],
        "annotators": choices["annotators"],
        # With one name on the list (an annotator's own), "Everyone" would promise more than they may export.
        "any_annotator": "Everyone" if len(choices["annotators"]) > 1 else "All I may see",
    }
    return render(request, "export/project_export.html", context)


@login_required
@require_GET
def export_start(request: HttpRequest) -> HttpResponse:
    """The header's Export link: the export page of the seed project, else of the first
    project the user sees (by slug)."""
    projects = Project.objects.visible_to(request.user)
    slug = projects.filter(slug=SEED_PROJECT).values_list("slug", flat=True).first() or (
        projects.order_by("slug").values_list("slug", flat=True).first()
    )
    if slug is None:
        raise Http404("You are not a member of any project.")
    return redirect("project-export", slug=slug)

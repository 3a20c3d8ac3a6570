"""The upload page ``/projects/{slug}/import/`` (managers): a file in, a job's progress out.

The page posts to the import API and follows the job (static/js/import.js); everything
it shows about the rules (formats, the size limit, who may own spans) comes from here.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from annotations.importing.api import ImportJobSerializer
from annotations.importing.formats import FORMATS
from annotations.models import ImportJob, Membership, Project, Role, has_project_role

# The role as a plain string (without Django's stubs, mypy reads a TextChoices member as its tuple).
MANAGER = str(Role.MANAGER)

RECENT_JOBS = 10
FORMAT_NAMES = {
    "auto": "Detect from the file name",
    "txt": "Plain text (.txt)",
    "html": "Web page (.html)",
    "jsonl": "JSON lines (.jsonl): doccano, Label Studio tasks, workbench export",
    "doccano": "doccano export (.jsonl)",
    "label-studio": "Label Studio JSON export (.json)",
    "csv": "CSV with a text column (.csv)",
}


@login_required
def project_import(request: HttpRequest, slug: str) -> HttpResponse:
    project = Project.objects.visible_to(request.user).filter(slug=slug).first()
    if project is None:
        raise Http404
    if not has_project_role(request.user, project, MANAGER):
        raise PermissionDenied
    members = Membership.objects.filter(project=project).select_related("user").order_by("user__username")
    jobs = ImportJob.objects.filter(project=project).select_related("project", "annotator")[:RECENT_JOBS]
    return render(
        request,
        "annotations/project_import.html",
        {
            "project": project,
            "formats": [(name, FORMAT_NAMES[name]) for name in FORMATS],
            "members": [m.user for m in members],
            "max_bytes": settings.IMPORT_UPLOAD_MAX_BYTES,
            "max_mib": settings.IMPORT_UPLOAD_MAX_BYTES // (1024 * 1024),
            "upload_url": reverse("project-imports", args=[project.slug]),
            "jobs": ImportJobSerializer(jobs, many=True).data,
        },
    )

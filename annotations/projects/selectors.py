"""Reads about projects: the project a request names, the caller's role in it.

Which projects a user sees is ``Project.objects.visible_to`` (annotations/models.py); these
helpers only apply it, so a non-member meets the same 404 as for a project that does not exist.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

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

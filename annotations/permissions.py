"""Who may call what. Whose annotations a user sees or changes is decided by the
``Annotation`` queryset methods (``visible_to``, ``owned_by``), not here."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission


class RegistryPermission(BasePermission):
    """Any signed-in user reads the source registry and adds to it; staff edit and delete."""

    message = "Only staff can edit or delete registry entries."

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in SAFE_METHODS or request.method == "POST":
            return True
        return bool(user.is_staff or user.is_superuser)

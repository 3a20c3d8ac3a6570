"""Writes to projects, memberships and project vocabularies.

The API, the pages, the admin and ``manage.py add_member`` call these functions; each
validates first (``full_clean``) and writes in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth.models import Group
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model

from annotations.models import ClaimType, Label, Membership, Project, Role, Verdict, forget_project_roles
from annotations.vocabulary import install_defaults

PROJECT_FIELDS = (
    "name",
    "description",
    "guidelines",
    "languages",
    "allow_overlap",
    "annotators_per_article",
    "suggestions",
)
VOCABULARY_MODELS: dict[str, type[Model]] = {"label": Label, "claim_type": ClaimType, "verdict": Verdict}
VOCABULARY_FIELDS = {
    Label: ("slug", "name", "description", "order", "retired", "color", "shortcut"),
    ClaimType: ("slug", "name", "description", "order", "retired"),
    Verdict: ("slug", "name", "description", "order", "retired", "claimreview_name", "xfact_label"),
}
MAX_VOCABULARY_ENTRIES = 200
ADDED, CHANGED, UNCHANGED = "added", "changed", "unchanged"


class LastManager(Exception):
    """Removing or demoting this member would leave the project without a manager (HTTP 409)."""


def _save(instance: Model, *, unique_field: str) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        # "(project, slug) already exists" is about the slug: say so on its field.
        errors = exc.message_dict
        if NON_FIELD_ERRORS in errors and not hasattr(instance, "memberships"):
            errors.setdefault(unique_field, []).extend(errors.pop(NON_FIELD_ERRORS))
        raise ValidationError(errors) from None
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        # Two clients wrote the same slug at once; the loser hears what full_clean says.
        raise ValidationError({unique_field: f"This {unique_field} is already taken."}) from None


@transaction.atomic
def project_create(
    *,
    slug: str,
    name: str,
    description: str = "",
    guidelines: str = "",
    languages: list[str] | None = None,
    allow_overlap: bool = True,
    annotators_per_article: int = 1,
    suggestions: bool = True,
    creator=None,
) -> Project:
    """A new project with a copy of the default vocabulary; its creator becomes a manager."""
    project = Project(
        slug=slug,
        name=name,
        description=description,
        guidelines=guidelines,
        languages=list(languages or []),
        allow_overlap=allow_overlap,
        annotators_per_article=annotators_per_article,
        suggestions=suggestions,
    )
    _save(project, unique_field="slug")
    install_defaults(Label, ClaimType, Verdict, Group, project=project)
    if creator is not None:
        Membership.objects.create(project=project, user=creator, role=Role.MANAGER)
        forget_project_roles(creator)
    return project


@transaction.atomic
def project_update(*, project: Project, changes: Mapping) -> Project:
    """Change settings, description, guidelines or languages (the slug is permanent: URLs use it)."""
    unknown = sorted(set(changes) - set(PROJECT_FIELDS))
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "This field cannot be changed."))
    current = Project.objects.select_for_update().get(pk=project.pk)
    for field, value in changes.items():
        setattr(current, field, value)
    current.full_clean()
    current.save()
    return current


def _managers_left(project: Project, *, without) -> bool:
    return Membership.objects.filter(project=project, role=Role.MANAGER).exclude(user=without).exists()


@transaction.atomic
def membership_set(*, project: Project, user, role: str) -> tuple[Membership, str]:
    """Add ``user`` to ``project`` with ``role``, or change their role (idempotent).

    Returns the membership and what happened: ``"added"``, ``"changed"`` or ``"unchanged"``.
    """
    if role not in Role.values:
        raise ValidationError({"role": f"role must be one of {', '.join(Role.values)}."})
    if not user.is_active:
        raise ValidationError({"username": f"{user.get_username()} is not an active user."})
    # Locks the project's memberships so two demotions cannot both pass the last-manager check.
    list(Membership.objects.select_for_update().filter(project=project).values_list("pk", flat=True))
    membership = Membership.objects.filter(project=project, user=user).first()
    if membership is None:
        membership = Membership(project=project, user=user, role=role)
        membership.full_clean()
        membership.save()
        forget_project_roles(user)
        return membership, ADDED
    if membership.role == role:
        return membership, UNCHANGED
    if membership.role == Role.MANAGER and not _managers_left(project, without=user):
        raise LastManager(f"{user.get_username()} is the last manager of {project.slug}; name another one first.")
    membership.role = role
    membership.save()
    forget_project_roles(user)
    return membership, CHANGED


@transaction.atomic
def membership_remove(*, project: Project, user) -> bool:
    """Take ``user`` out of ``project``; their spans stay (hidden from them). False if not a member."""
    list(Membership.objects.select_for_update().filter(project=project).values_list("pk", flat=True))
    membership = Membership.objects.filter(project=project, user=user).first()
    if membership is None:
        return False
    if membership.role == Role.MANAGER and not _managers_left(project, without=user):
        raise LastManager(f"{user.get_username()} is the last manager of {project.slug}; name another one first.")
    membership.delete()
    forget_project_roles(user)
    return True


def _vocabulary_values(model: type[Model], values: Mapping) -> dict:
    allowed = VOCABULARY_FIELDS[model]
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ValidationError(dict.fromkeys(unknown, "Unknown field."))
    return dict(values)


def _check_shortcut(entry: Label) -> None:
    # One key, one label: a shortcut shared by two live labels would apply either.
    if entry.shortcut and not entry.retired:
        clash = (
            Label.objects.filter(project_id=entry.project_id, shortcut__iexact=entry.shortcut, retired=False)
            .exclude(pk=entry.pk)
            .values_list("slug", flat=True)
            .first()
        )
        if clash:
            raise ValidationError({"shortcut": f"The key {entry.shortcut!r} already applies the label {clash!r}."})


@transaction.atomic
def vocabulary_create(*, model: type[Model], project: Project, values: Mapping) -> Model:
    """Add a label, claim type or verdict to ``project``'s vocabulary."""
    values = _vocabulary_values(model, values)
    if model.objects.filter(project=project).count() >= MAX_VOCABULARY_ENTRIES:
        raise ValidationError({"slug": f"A project has at most {MAX_VOCABULARY_ENTRIES} entries of each kind."})
    if "order" not in values:
        last = model.objects.filter(project=project).order_by("-order").values_list("order", flat=True).first()
        values["order"] = min((last or 0) + 1, 32767)
    entry = model(project=project, **values)
    if model is Label:
        _check_shortcut(entry)
    _save(entry, unique_field="slug")
    return entry


@transaction.atomic
def vocabulary_update(*, entry: Model, changes: Mapping) -> Model:
    """Rename, recolour, re-key, reorder or retire an entry. Spans keep pointing at it, so a
    slug change or a retirement loses nothing; a retired entry is not offered for new spans."""
    changes = _vocabulary_values(type(entry), changes)
    current = type(entry).objects.select_for_update().get(pk=entry.pk)
    for field, value in changes.items():
        setattr(current, field, value)
    if isinstance(current, Label):
        _check_shortcut(current)
    _save(current, unique_field="slug")
    return current

"""Writes to span relations: the API, the annotate page and adjudication call these.

A relation links two live spans of one article and one layer (one annotator's, or gold).
Who may write a layer: its annotator (staff: any), and the project's reviewers for gold.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from annotations.models import Annotation, Relation, ReviewDecision, Role, has_project_role


def can_write_layer(user, annotation: Annotation) -> bool:
    """The one rule for writing relations: the layer's owner, the project's reviewers (and
    managers) for gold, staff for all."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    if annotation.is_gold:
        return has_project_role(user, annotation.article.project_id, Role.REVIEWER)
    # Their own layer, and only where Annotation.objects.owned_by lets them write.
    return (
        annotation.annotator_id == user.pk and Annotation.all_objects.owned_by(user).filter(pk=annotation.pk).exists()
    )


def in_one_layer(first, second) -> bool:
    """Whether two spans (anything with ``is_gold`` and ``annotator_id``) are of one layer: one
    annotator's, or both gold. The one rule for relations, the API's and the importer's."""
    return first.is_gold == second.is_gold and (first.is_gold or first.annotator_id == second.annotator_id)


def _check_pair(from_annotation: Annotation, to_annotation: Annotation, relation_type: str) -> None:
    errors: dict[str, str] = {}
    if relation_type not in Relation.Type.values:
        errors["type"] = f"type must be one of {', '.join(Relation.Type.values)}."
    if from_annotation.pk == to_annotation.pk:
        errors["to"] = "A relation links two different spans."
    elif from_annotation.article_id != to_annotation.article_id:
        errors["to"] = "Both spans must be in the same article."
    elif not in_one_layer(from_annotation, to_annotation):
        errors["to"] = "Both spans must be in the same layer (one annotator's, or gold)."
    for field, annotation in (("from", from_annotation), ("to", to_annotation)):
        if annotation.deleted_at is not None:
            errors[field] = "This span was deleted; restore it first."
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def relation_create(
    *, user, from_annotation: Annotation, to_annotation: Annotation, relation_type: str = "attribution"
) -> tuple[Relation, bool]:
    """Link two spans; the same link again returns the existing relation. Returns ``(relation, created)``."""
    _check_pair(from_annotation, to_annotation, relation_type)
    if not can_write_layer(user, from_annotation):
        raise PermissionDenied("Only the layer's annotator (or a reviewer, for gold) may link its spans.")
    return Relation.objects.get_or_create(
        from_annotation=from_annotation,
        to_annotation=to_annotation,
        type=relation_type,
        defaults={"created_by": user},
    )


@transaction.atomic
def relation_delete(*, user, relation: Relation) -> None:
    if not can_write_layer(user, relation.from_annotation):
        raise PermissionDenied("Only the layer's annotator (or a reviewer, for gold) may unlink its spans.")
    relation.delete()  # a per-row delete: history records it


def relations_into_gold(*, reviewer, candidate: Annotation, gold: Annotation) -> list[Relation]:
    """After ``candidate`` was accepted as ``gold``: copy its relations whose other span is in gold too.

    Called by adjudication; the other span counts as accepted when a live accepted decision
    names its gold copy.
    """
    created = []
    links = Relation.objects.live().filter(from_annotation=candidate) | Relation.objects.live().filter(
        to_annotation=candidate
    )
    for relation in links.select_related("from_annotation", "to_annotation"):
        other = relation.to_annotation if relation.from_annotation_id == candidate.pk else relation.from_annotation
        decision = (
            ReviewDecision.objects.filter(
                annotation=other,
                decision=ReviewDecision.Decision.ACCEPTED,
                gold__isnull=False,
                gold__deleted_at__isnull=True,
            )
            .select_related("gold")
            .first()
        )
        if decision is None:
            continue
        ends = (gold, decision.gold) if relation.from_annotation_id == candidate.pk else (decision.gold, gold)
        if ends[0].pk == ends[1].pk:
            continue
        relation_copy, made = Relation.objects.get_or_create(
            from_annotation=ends[0], to_annotation=ends[1], type=relation.type, defaults={"created_by": reviewer}
        )
        if made:
            created.append(relation_copy)
    return created

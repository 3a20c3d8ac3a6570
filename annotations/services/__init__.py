"""Writes: every path (API, pages, admin, importer) goes through these functions.

One module per thing written: ``annotations`` (spans and their source links), ``sources``
(the source registry), ``relations`` (links between spans), ``suggestions`` (dismissals).
Review's gold writes live in ``annotations.review.workflow``. The common names are
re-exported here, so ``from annotations import services`` reads as
``services.annotation_create(...)``.
"""

from annotations.services.annotations import (
    NOTE_MAX_LENGTH,
    OVERLAP_MESSAGE,
    AnnotationGone,
    LinkSpec,
    SpanFields,
    SpanInput,
    StaleVersion,
    annotation_apply,
    annotation_create,
    annotation_delete,
    annotation_lock_version,
    annotation_restore,
    annotation_stored,
    annotation_update,
    annotation_write,
    check_no_overlap,
    clean_note,
    lock_articles,
    overlap_in,
    resolve_links,
    resolve_verdict,
    span_fields,
)
from annotations.services.relations import (
    can_write_layer,
    in_one_layer,
    relation_create,
    relation_delete,
    relations_into_gold,
)
from annotations.services.sources import SOURCE_DEFAULTS, source_create, source_update
from annotations.services.suggestions import suggestion_dismiss

__all__ = [
    "NOTE_MAX_LENGTH",
    "OVERLAP_MESSAGE",
    "SOURCE_DEFAULTS",
    "AnnotationGone",
    "LinkSpec",
    "SpanFields",
    "SpanInput",
    "StaleVersion",
    "annotation_apply",
    "annotation_create",
    "annotation_delete",
    "annotation_lock_version",
    "annotation_restore",
    "annotation_stored",
    "annotation_update",
    "annotation_write",
    "can_write_layer",
    "check_no_overlap",
    "clean_note",
    "in_one_layer",
    "lock_articles",
    "overlap_in",
    "relation_create",
    "relation_delete",
    "relations_into_gold",
    "resolve_links",
    "resolve_verdict",
    "source_create",
    "source_update",
    "span_fields",
    "suggestion_dismiss",
]

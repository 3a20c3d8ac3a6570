"""Writes: every path (API, pages, admin, importer) goes through these functions.

One module per thing written: ``annotations`` (spans and their source links), ``sources``
(the source registry). Review's gold writes live in ``annotations.review.workflow``.
The common names are re-exported here, so ``from annotations import services`` reads as
``services.annotation_create(...)``.
"""

from annotations.services.annotations import (
    NOTE_MAX_LENGTH,
    AnnotationGone,
    LinkSpec,
    StaleVersion,
    annotation_create,
    annotation_delete,
    annotation_lock_version,
    annotation_restore,
    annotation_update,
    clean_note,
    resolve_links,
    resolve_verdict,
)
from annotations.services.sources import SOURCE_DEFAULTS, source_create, source_update

__all__ = [
    "NOTE_MAX_LENGTH",
    "SOURCE_DEFAULTS",
    "AnnotationGone",
    "LinkSpec",
    "StaleVersion",
    "annotation_create",
    "annotation_delete",
    "annotation_lock_version",
    "annotation_restore",
    "annotation_update",
    "clean_note",
    "resolve_links",
    "resolve_verdict",
    "source_create",
    "source_update",
]

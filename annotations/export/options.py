"""Export options: what the query string or the command asks for, validated into ``ExportOptions``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, time

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from annotations.models import Label, is_reviewer
from annotations.text import is_language_tag

ARTICLE_FORMATS = ("jsonl", "doccano", "spans", "w3c")
# One record per claim (annotations/claims/export.py): ours, schema.org ClaimReview, AVeriTeC.
CLAIM_FORMATS = ("claims", "claimreview", "averitec")
FORMATS = ARTICLE_FORMATS + CLAIM_FORMATS
LAYERS = ("annotations", "gold", "all")
DEFAULT_CHUNK_SIZE = 500
FIRST_CHUNK_SIZE = 50  # a short first chunk: the response starts after 50 articles, not 500
MAX_ARTICLE_IDS = 1000
CONTENT_TYPE = "application/x-ndjson; charset=utf-8"

_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


@dataclass(frozen=True)
class ExportOptions:
    """What to export. Build it with :func:`parse_export_options` from request or command input."""

    format: str = "jsonl"
    project: str | None = None
    language: str | None = None
    annotator: str | None = None
    label: str | None = None
    since: datetime | None = None
    articles: tuple[int, ...] = field(default=())
    anonymize: bool = False
    include_empty: bool = True
    layer: str = "annotations"
    metadata: bool = False
    claims: tuple[int, ...] = field(default=())

    @property
    def filename(self) -> str:
        return f"factcheck-{self.format}-{timezone.now().date().isoformat()}.jsonl"


def parse_export_options(params: Mapping[str, object], *, viewer=None) -> ExportOptions:
    """Validate export parameters (strings, as in a query string) into ``ExportOptions``.

    Raises ``ValidationError`` with one message per bad field. Absent or empty values
    take their defaults. ``since`` keeps only annotations changed at or after it, so an
    article none of whose selected annotations changed is left out.

    ``viewer``: the user asking (``None``: the command line, which sees everyone). An
    unknown ``annotator`` is an error only for someone who may see other annotators'
    spans; anyone else gets the same (empty) answer for every username but their own, so
    the export never tells them which usernames exist.
    """
    errors: dict[str, str] = {}

    def text(name: str) -> str | None:
        value = params.get(name)
        if value is None:
            return None
        if not isinstance(value, str):
            errors[name] = f"{name} must be text."
            return None
        return value.strip() or None

    def flag(name: str) -> bool | None:
        """True or False when given, None when absent (or bad: the error is recorded)."""
        value = text(name)
        if value is None:
            return None
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        errors[name] = f"{name} must be 0 or 1."
        return None

    fmt = text("format") or "jsonl"
    if fmt not in FORMATS:
        errors["format"] = f"Unknown format {_shown(fmt)}; use one of {', '.join(FORMATS)}."
    layer = text("layer") or "annotations"
    if layer not in LAYERS:
        errors["layer"] = f"Unknown layer {_shown(layer)}; use one of {', '.join(LAYERS)}."

    project = text("project")
    if project is not None and (len(project) > 50 or not _SLUG.match(project)):
        errors["project"] = "project must be a project slug such as seed."
    # Whether the project exists for the caller is the view's and the command's question: a
    # project the caller cannot see answers 404, as a missing one does.
    language = text("language")
    if language is not None and not is_language_tag(language):
        errors["language"] = "language must be a BCP 47 language tag such as id, fr or ar."
    label = text("label")
    if label is not None and "label" not in errors and not Label.objects.filter(slug=label).exists():
        errors["label"] = f"Unknown label {_shown(label)}."
    annotator = text("annotator")
    if (
        annotator is not None
        and "annotator" not in errors
        and (viewer is None or is_reviewer(viewer))
        and not get_user_model().objects.filter(username=annotator).exists()
    ):
        errors["annotator"] = f"Unknown annotator {_shown(annotator)}."

    since = None
    raw_since = text("since")
    if raw_since is not None:
        since = _parse_timestamp(raw_since)
        if since is None:
            errors["since"] = "since must be an ISO 8601 timestamp such as 2025-11-01 or 2025-11-01T08:00:00Z."

    def ids(name: str, what: str) -> tuple[int, ...]:
        raw = text(name)
        if raw is None:
            return ()
        parts = [part.strip() for part in raw.split(",") if part.strip()]
        if not parts or not all(part.isascii() and part.isdigit() for part in parts):
            errors[name] = f"{name} must be {what} ids separated by commas, e.g. 3,17."
        elif len(parts) > MAX_ARTICLE_IDS:
            errors[name] = f"{name} may list at most {MAX_ARTICLE_IDS} ids."
        elif any(len(part) > 19 or int(part) >= 2**63 for part in parts):
            errors[name] = f"{name} ids must be below 2^63."
        else:
            return tuple(sorted({int(part) for part in parts}))
        return ()

    articles = ids("article", "article")
    claims = ids("claim", "claim")
    if claims and fmt not in CLAIM_FORMATS:
        errors["claim"] = f"claim only applies to the claim formats ({', '.join(CLAIM_FORMATS)})."

    anonymize = flag("anonymize")
    metadata = flag("metadata")
    if metadata and fmt != "jsonl":
        errors["metadata"] = "metadata=1 only applies to format=jsonl."
    include_empty = flag("include_empty")
    if include_empty and since is not None:
        errors["include_empty"] = (
            "include_empty=1 cannot be combined with since: an export since a date lists only "
            "articles with annotations changed since then."
        )
    if include_empty is None:
        include_empty = since is None

    if errors:
        raise ValidationError(errors)
    return ExportOptions(
        format=fmt,
        project=project,
        language=language,
        annotator=annotator,
        label=label,
        since=since,
        articles=articles,
        anonymize=bool(anonymize),
        include_empty=include_empty,
        layer=layer,
        metadata=bool(metadata),
        claims=claims,
    )


def _shown(value: str) -> str:
    # Echo what the caller sent, but not a whole page of it.
    return repr(value if len(value) <= 50 else value[:50] + "…")


def _parse_timestamp(value: str) -> datetime | None:
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            day = parse_date(value)
            parsed = datetime.combine(day, time.min) if day is not None else None
    except ValueError:
        return None
    if parsed is None:
        return None
    # A timestamp without an offset is read as UTC, the timezone every export timestamp is in.
    try:
        return parsed.replace(tzinfo=UTC) if timezone.is_naive(parsed) else parsed.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01T00:00:00+05:00 is before year 1 in UTC
        return None

"""Writes to annotations: every path (API, pages, admin, import) goes through here.

Each function validates first (the offset rule, the vocabulary, source links) and
writes in one transaction, so a refused request leaves nothing behind. Updates are
optimistic: the caller says which ``version`` it edited and a stale one raises
``StaleVersion`` without changing anything.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Required, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from annotations.models import NOTE_MAX_LENGTH, Annotation, Article, ClaimType, Label, Source, SourceLink, Verdict
from annotations.offsets import check_span
from annotations.text import MarkupError, strip_markup
from annotations.validators import BIDI_MESSAGE, NUL_MESSAGE, has_bidi_control, validate_http_url
from annotations.vocabulary import DEFAULT_VERDICT


class StaleVersion(Exception):
    """The annotation changed since the client read it (HTTP 409)."""

    def __init__(self, current: Annotation | None, *, version: int | None = None):
        self.current = current
        self.version = version if version is not None else getattr(current, "version", None)
        super().__init__("This annotation was changed by someone else; reload it and apply your edit again.")


class AnnotationGone(Exception):
    """The annotation was deleted while the client was editing it (HTTP 404)."""

    def __init__(self):
        super().__init__("This annotation was deleted; restore it before editing.")


@dataclass(frozen=True)
class LinkSpec:
    source: Source
    url: str | None
    relation: str


def clean_note(note: str | None) -> str:
    """Notes are plain text: markup is stripped (``text.strip_markup``), never stored or rendered."""
    if note is None:
        return ""
    if not isinstance(note, str):
        raise ValidationError({"note": "note must be text."})
    # Refused, not cleaned away: the writer learns their text was not what they thought.
    if "\x00" in note:
        raise ValidationError({"note": f"note {NUL_MESSAGE}"})
    if has_bidi_control(note):
        raise ValidationError({"note": f"note {BIDI_MESSAGE}"})
    try:
        cleaned = strip_markup(note)
    except MarkupError as exc:
        raise ValidationError({"note": f"note {exc}; put a space after the '<'."}) from None
    if len(cleaned) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": f"note may be at most {NOTE_MAX_LENGTH} characters."})
    return cleaned


def _vocabulary(model, field: str, slug, *, project_id: int, required: bool = False, current_id: int | None = None):
    """The entry named ``slug`` in the article's project. A retired entry is refused for new
    use but kept where a span already has it (``current_id``)."""
    if slug in (None, ""):
        if required:
            raise ValidationError({field: f"{field} is required."})
        return None
    if isinstance(slug, model):
        entry = slug
        if entry.project_id != project_id:
            raise ValidationError({field: f"Unknown {field} {entry.slug!r} in this article's project."})
    elif not isinstance(slug, str):
        raise ValidationError({field: f"{field} must be a slug."})
    else:
        entry = model.objects.filter(project_id=project_id, slug=slug).first()
        if entry is None:
            raise ValidationError({field: f"Unknown {field} {slug!r} in this article's project."})
    if entry.retired and entry.pk != current_id:
        raise ValidationError({field: f"The {field} {entry.slug!r} is retired; choose another."})
    return entry


def resolve_verdict(verdict, *, project_id: int, current_id: int | None = None) -> Verdict | None:
    """The verdict given (slug or instance) in the project, or its default one: a claim nobody has
    checked yet is "unchecked", not blank."""
    return _vocabulary(
        Verdict,
        "verdict",
        verdict if verdict not in (None, "") else DEFAULT_VERDICT,
        project_id=project_id,
        current_id=current_id,
    )


def annotation_lock_version(*, annotation_id: int, expected_version: int | None = None) -> int | None:
    """The stored version of an annotation, its row locked to the end of the transaction (when
    there is one); ``StaleVersion`` when ``expected_version`` is given and differs. ``None``
    when the annotation does not exist."""
    rows = Annotation.all_objects.filter(pk=annotation_id)
    if transaction.get_connection().in_atomic_block:
        rows = rows.select_for_update()
    current = rows.values_list("version", flat=True).first()
    if expected_version is not None and current is not None and current != expected_version:
        raise StaleVersion(None, version=current)
    return current


def http_url_problem(url: object) -> str | None:
    """What is wrong with a link's optional URL (``None`` when nothing is, or there is no URL)."""
    if url is None:
        return None
    try:
        if not isinstance(url, str):
            raise ValidationError("url must be text.")
        validate_http_url(url)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


def resolve_links(links: Iterable[Mapping] | None) -> list[LinkSpec]:
    """Turn ``[{"source": slug, "url": ..., "relation": ...}]`` into validated specs."""
    if links is None:
        return []
    links = list(links)
    specs: list[LinkSpec] = []
    errors: list[str] = []
    relations = {choice for choice, _ in SourceLink.Relation.choices}
    # One query for every slug named, not one per link.
    slugs = {link.get("source") for link in links if isinstance(link, Mapping) and isinstance(link.get("source"), str)}
    registry = Source.objects.in_bulk(slugs, field_name="slug") if slugs else {}
    for index, link in enumerate(links):
        problems: dict[str, str] = {}
        if not isinstance(link, Mapping):
            errors.append(f"source_links[{index}]: each link must be an object with a source.")
            continue
        source = link.get("source")
        resolved: Source | None
        if isinstance(source, Source):
            resolved = source
        else:
            resolved = registry.get(source) if isinstance(source, str) else None
            if resolved is None:
                problems["source"] = f"Unknown source {source!r}."
        url = link.get("url") or None
        url_problem = http_url_problem(url)
        if url_problem is not None:
            problems["url"] = url_problem
        relation: str = link.get("relation") or str(SourceLink.Relation.ATTRIBUTED)
        if relation not in relations:
            problems["relation"] = f"relation must be one of {', '.join(sorted(relations))}."
        if problems or resolved is None:
            errors.extend(f"source_links[{index}].{field}: {message}" for field, message in problems.items())
        else:
            specs.append(LinkSpec(source=resolved, url=url, relation=relation))
    if errors:
        raise ValidationError({"source_links": errors})
    return specs


def _replace_links(annotation: Annotation, specs: list[LinkSpec]) -> None:
    annotation.source_links.all().delete()  # per-row delete signals: history records each link
    bulk_create_with_history(
        [SourceLink(annotation=annotation, source=s.source, url=s.url, relation=s.relation) for s in specs],
        SourceLink,
    )


OVERLAP_MESSAGE = (
    "This span overlaps the span [{start}, {end}) of the same layer, and this project does not allow "
    "overlapping spans; change or delete that one first."
)


def overlap_in(spans: Iterable[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    """The first of ``spans`` that shares a character with ``[start, end)``, or ``None``.

    The one rule for ``Project.allow_overlap = False``: the services and the importer both ask here.
    """
    for other_start, other_end in spans:
        if other_start < end and start < other_end:
            return other_start, other_end
    return None


def check_no_overlap(
    *, article: Article, annotator_id: int, is_gold: bool, start: int, end: int, exclude_id: int | None = None
) -> None:
    """Refuse a span that overlaps another live span of its layer (the annotator's own, or gold)
    when the article's project does not allow overlap.

    Called inside the writing transaction: it locks the article's row first, so that two
    writers of overlapping spans on one article take turns and the second one sees the
    first's span (read committed would otherwise let both pass). SQLite's writers already
    take turns (BEGIN IMMEDIATE).
    """
    if article.project.allow_overlap:
        return
    lock_articles([article.pk])
    layer = Annotation.objects.filter(article=article, is_gold=is_gold, start__lt=end, end__gt=start)
    if not is_gold:
        layer = layer.filter(annotator_id=annotator_id)
    if exclude_id is not None:
        layer = layer.exclude(pk=exclude_id)
    hit = overlap_in(layer.values_list("start", "end").order_by("start")[:1], start, end)
    if hit is not None:
        raise ValidationError({"start": OVERLAP_MESSAGE.format(start=hit[0], end=hit[1])})


def lock_articles(ids: Iterable[int]) -> None:
    """Lock these articles' rows until the transaction ends (in id order, so that two writers
    locking several never wait on each other crosswise): the turn to check and add spans."""
    list(Article.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


class SpanInput(TypedDict, total=False):
    """What a writer says about a new span besides its article and offsets, as ``span_fields``
    takes it: the vocabulary as slugs or entries, ``source_links`` as
    ``[{"source": slug, "url": ..., "relation": ...}]``, ``text`` to compare with the offsets."""

    label: Required[Any]
    text: str | None
    claim_type: Any
    checkworthy: bool | None
    verdict: Any
    note: str | None
    source_links: Iterable[Mapping] | None


SPAN_INPUT_KEYS = SpanInput.__required_keys__ | SpanInput.__optional_keys__


@dataclass(frozen=True)
class SpanFields:
    """A span's fields after every check: what ``annotation_write`` writes."""

    text: str
    label: Label
    claim_type: ClaimType | None
    checkworthy: bool | None
    verdict: Verdict | None
    note: str
    links: list[LinkSpec]

    def columns(self) -> dict[str, Any]:
        """The annotation's columns these fields fill (all but the links, which are rows of their own)."""
        return {field.name: getattr(self, field.name) for field in dataclasses.fields(self) if field.name != "links"}


def span_fields(*, article: Article, start: int, end: int, **span: Unpack[SpanInput]) -> SpanFields:
    """Check a new span's fields (offsets, vocabulary, note, links) without writing anything.

    Raises ``ValidationError`` with a message per field. Every way of adding a span (a
    reviewer's gold span that turns out to exist already included) checks through here.
    """
    if not SpanInput.__required_keys__ <= span.keys() <= SPAN_INPUT_KEYS:  # what a signature would refuse
        raise TypeError(f"A span takes {', '.join(sorted(SPAN_INPUT_KEYS))} (label required), not {sorted(span)}.")
    covered = check_span(article.text, start, end, span.get("text"))
    checkworthy = span.get("checkworthy")
    if checkworthy is not None and not isinstance(checkworthy, bool):
        raise ValidationError({"checkworthy": "checkworthy must be true, false or null."})
    return SpanFields(
        text=covered,
        label=_vocabulary(Label, "label", span.get("label"), project_id=article.project_id, required=True),
        claim_type=_vocabulary(ClaimType, "claim_type", span.get("claim_type"), project_id=article.project_id),
        checkworthy=checkworthy,
        verdict=resolve_verdict(span.get("verdict"), project_id=article.project_id),
        note=clean_note(span.get("note", "")),
        links=resolve_links(span.get("source_links")),
    )


@transaction.atomic
def annotation_create(
    *, article: Article, annotator, start: int, end: int, is_gold: bool = False, **span: Unpack[SpanInput]
) -> Annotation:
    fields = span_fields(article=article, start=start, end=end, **span)
    return annotation_write(article=article, annotator=annotator, start=start, end=end, fields=fields, is_gold=is_gold)


@transaction.atomic
def annotation_write(
    *, article: Article, annotator, start: int, end: int, fields: SpanFields, is_gold: bool = False
) -> Annotation:
    """Save a new span whose fields ``span_fields`` has checked, with its source links.

    The one place a span row is created: ``annotation_create`` and a reviewer's gold span
    (which checks first, then looks for an existing one) both end here.
    """
    check_no_overlap(article=article, annotator_id=annotator.pk, is_gold=is_gold, start=start, end=end)
    annotation = Annotation(
        article=article, annotator=annotator, start=start, end=end, is_gold=is_gold, **fields.columns()
    )
    annotation.save()
    _replace_links(annotation, fields.links)
    return annotation


def annotation_apply(current: Annotation, changes: Mapping) -> None:
    """Check ``changes`` against the span as stored (``current``, its article read with it) and
    set them on ``current`` without saving: the rules of ``annotation_update``, which the admin's
    form also asks before it saves.

    ``changes`` holds any of start, end, text, label and the claim fields; the admin may also
    move a span to another layer (``annotator``, ``is_gold``), which the API never sends.
    """
    article = current.article
    start = changes.get("start", current.start)
    end = changes.get("end", current.end)
    moved = "start" in changes or "end" in changes
    current.text = check_span(article.text, start, end, changes.get("text") if "text" in changes or moved else None)
    if "annotator" in changes:
        current.annotator = changes["annotator"]
    if "is_gold" in changes:
        current.is_gold = changes["is_gold"]
    if moved or "annotator" in changes or "is_gold" in changes:
        check_no_overlap(
            article=article,
            annotator_id=current.annotator_id,
            is_gold=current.is_gold,
            start=start,
            end=end,
            exclude_id=current.pk,
        )
    current.start, current.end = start, end
    project_id = article.project_id
    if "label" in changes:
        current.label = _vocabulary(
            Label, "label", changes["label"], project_id=project_id, required=True, current_id=current.label_id
        )
    if "claim_type" in changes:
        current.claim_type = _vocabulary(
            ClaimType, "claim_type", changes["claim_type"], project_id=project_id, current_id=current.claim_type_id
        )
    if "verdict" in changes:
        current.verdict = resolve_verdict(changes["verdict"], project_id=project_id, current_id=current.verdict_id)
    if "checkworthy" in changes:
        current.checkworthy = changes["checkworthy"]
    if "note" in changes:
        current.note = clean_note(changes["note"])


def annotation_stored(annotation_id: int, *, lock: bool = False) -> Annotation:
    """The span as stored, deleted or not, with its article and project (in one query); ``lock``
    locks the span's row (not the article's) to the end of the transaction."""
    rows = Annotation.all_objects.select_related("article__project")
    if lock:
        rows = rows.select_for_update(of=("self",))
    return rows.get(pk=annotation_id)


@transaction.atomic
def annotation_update(
    *, annotation: Annotation, expected_version: int | None, changes: Mapping, links: Iterable[Mapping] | None = None
) -> Annotation:
    """Apply ``changes`` (``annotation_apply`` checks them) and bump the version.

    ``links`` replaces the source links when given. With ``expected_version`` set,
    the write only happens if nobody else wrote since that version.
    """
    current = annotation_stored(annotation.pk, lock=True)
    if current.deleted_at is not None:
        raise AnnotationGone()
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(current)
    annotation_apply(current, changes)
    specs = resolve_links(links) if links is not None else None
    current.version += 1  # the row is locked (select_for_update; SQLite: BEGIN IMMEDIATE)
    current.save()
    if specs is not None:
        _replace_links(current, specs)
    return current


@transaction.atomic
def annotation_delete(*, annotation: Annotation, expected_version: int | None = None) -> None:
    """Soft delete: the span disappears everywhere but stays restorable with its history."""
    current = Annotation.all_objects.select_for_update().get(pk=annotation.pk)
    if expected_version is not None and current.version != expected_version:
        raise StaleVersion(current)
    if current.deleted_at is not None:
        return
    current.deleted_at = timezone.now()
    current.version += 1  # the row is locked (select_for_update; SQLite: BEGIN IMMEDIATE)
    current.save()


@transaction.atomic
def annotation_restore(*, annotation: Annotation) -> Annotation:
    current = Annotation.all_objects.select_for_update().get(pk=annotation.pk)
    if current.deleted_at is not None:
        current.deleted_at = None
        current.version += 1  # the row is locked (select_for_update; SQLite: BEGIN IMMEDIATE)
        current.save()
    return current

"""The import engine: records in, validated in Python, written in batches, one transaction per file.

Every rule is checked before anything is written: the offset rule (``check_span``), NFC and
line-end mapping of offsets, the size limits, the vocabulary, source links (through
``resolve_links``) and notes (``clean_note``). Records are then written a batch at a time:
articles, spans, their source links and the history rows of both, each with one
multi-row INSERT (``annotations.importing.sql``). A bad record raises ``ImportFileError``
naming the file and line, and the file's transaction keeps nothing.
"""

from __future__ import annotations

import datetime
import gc
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple, Required, TypedDict, Unpack, cast

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from annotations.counts import Counts
from annotations.errors import in_words
from annotations.importing.formats import (
    ARTICLE_TEXT_MAX_CHARS,
    COUNTERS,
    READERS,
    SUFFIXES,
    RecordError,
    RecordIn,
    SpanIn,
    detect_format,
)
from annotations.importing.html import SPACES
from annotations.importing.normalize import OffsetMap, guess_language
from annotations.importing.sql import InFlight, check_columns, compress_fast, copy_history, insert_returning_ids
from annotations.models import (
    Annotation,
    Article,
    ClaimType,
    Label,
    Project,
    Relation,
    Source,
    SourceLink,
    Verdict,
    direction_for_language,
    text_sha256,
)
from annotations.offsets import check_span
from annotations.services import (
    OVERLAP_MESSAGE,
    LinkSpec,
    clean_note,
    in_one_layer,
    lock_articles,
    overlap_in,
    resolve_links,
    source_create,
)
from annotations.text import LONE_SURROGATE, holds, is_language_tag, normalize_text
from annotations.vocabulary import DEFAULT_VERDICT

TITLE_MAX_LENGTH = 500
# Records per write: large enough that INSERTs dominate, small enough to keep memory flat.
BATCH_RECORDS = 500
# Bytes read from a file at a time: records of several KB each are cut out of large reads
# rather than read through the default 8 KB buffer (50,000 records: 0.25 → 0.05 s).
READ_BUFFER_BYTES = 1024 * 1024

Progress = Callable[[int, int], None]

_ARTICLE_ATTRS = (
    "project_id", "external_id", "title", "text", "language", "direction", "url", "publisher", "author", "published_at",
    "text_sha256", "metadata", "created_at", "updated_at",
)  # fmt: skip
_SPAN_ATTRS = (
    "article_id", "annotator_id", "start", "end", "text", "label_id", "claim_type_id", "checkworthy", "verdict_id",
    "note", "is_gold", "created_at", "updated_at", "version", "deleted_at",
)  # fmt: skip
_LINK_ATTRS = ("annotation_id", "source_id", "url", "relation")
_RELATION_ATTRS = ("from_annotation_id", "to_annotation_id", "type", "created_by_id", "created_at")
_LONE_SURROGATES = re.compile("[\ud800-\udfff]")
_NUL = re.compile("\x00")


class ImportFileError(Exception):
    """A file that was not imported; ``str()`` is ``path:line: message``."""

    def __init__(self, path: str, line: int | None, message: str):
        self.path, self.line, self.message = path, line, message
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")


@dataclass
class ImportSummary(Counts):
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    spans_created: int = 0
    spans_skipped: int = 0
    sources_created: int = 0
    relations_created: int = 0

    def __str__(self) -> str:
        text = (
            f"articles: {self.created} created, {self.updated} updated, {self.unchanged} unchanged; "
            f"spans: {self.spans_created} created, {self.spans_skipped} already present"
        )
        if self.sources_created:
            text += f"; sources: {self.sources_created} created"
        if self.relations_created:
            text += f"; relations: {self.relations_created} created"
        return text


class _Span(NamedTuple):
    """A validated span: the annotation row without its article, timestamps and version."""

    annotator_id: int
    start: int
    end: int
    text: str
    label_id: int
    claim_type_id: int | None
    checkworthy: bool | None
    verdict_id: int | None
    note: str
    is_gold: bool
    links: list[LinkSpec]


@dataclass
class _Article:
    line: int | None
    external_id: str
    values: dict  # the fields the record states, validated (text always)
    language: str
    direction: str
    language_stated: bool
    direction_stated: bool
    spans: list[_Span] = field(default_factory=list)
    relations: list[tuple[int, int, str]] = field(default_factory=list)  # (from, to): indexes into spans


def _span_parts(item: object) -> tuple:
    return (item.label, item.text, item.annotator, item.claim) if isinstance(item, SpanIn) else ()


def _bad_characters(value: object, pattern: re.Pattern) -> bool:
    """Whether any string in a parsed record (keys and spans too) holds one of ``pattern``'s characters."""
    return holds(value, pattern, _span_parts)


def first_line_title(text: str) -> str:
    for line in text.split("\n"):
        title = SPACES.sub(" ", line).strip()
        if title:
            if len(title) > TITLE_MAX_LENGTH:
                title = title[: TITLE_MAX_LENGTH - 1].rstrip() + "…"
            return title
    return ""


def parse_published_at(value: object) -> datetime.datetime | None:
    """ISO 8601; a date alone is midnight UTC, a time without zone is UTC; stored in UTC."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise RecordError("published_at must be an ISO 8601 date or date-time.")
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            day = parse_date(value)
            parsed = datetime.datetime(day.year, day.month, day.day) if day else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise RecordError(f"published_at {value!r} is not an ISO 8601 date or date-time.")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    try:
        # 0001-01-01T00:00+05:00 is a valid string whose UTC time is before year 1.
        return parsed.astimezone(datetime.UTC)
    except OverflowError:
        raise RecordError(f"published_at {value!r} is outside the years 1 to 9999 in UTC.") from None


def _max_length(name: str) -> int:
    return Article._meta.get_field(name).max_length


class _Validator:
    """Turns records into validated articles and spans; looks the vocabulary up once per name."""

    def __init__(
        self, *, project: Project, language: str | None, annotator, label: Label | None, summary: ImportSummary
    ):
        self.project = project
        self.language = language
        self.annotator_id = annotator.pk if annotator is not None else None
        self.label = label
        self.summary = summary
        self.seen: dict[str, int | None] = {}
        self._users: dict[str, int | None] = {}
        self._labels: dict[str, int | None] = {}
        # The project's vocabulary; a retired entry is refused for new spans, as by the services.
        self._claim_types = {c.slug: c for c in ClaimType.objects.filter(project=project)}
        self._verdicts = {v.slug: v for v in Verdict.objects.filter(project=project)}
        unchecked = self._verdicts.get(DEFAULT_VERDICT)
        self._unchecked = unchecked.pk if unchecked and not unchecked.retired else None
        self._sources: dict[str, Source | None] = {}

    # -- the article

    def article(self, record: RecordIn, default_external_id: str) -> _Article:
        fields = dict(record.fields)
        external_id = fields.pop("external_id", None)
        if external_id in (None, ""):
            external_id = default_external_id
        if not isinstance(external_id, str | int) or isinstance(external_id, bool):
            raise RecordError("external_id must be text.")
        external_id = str(external_id)
        if len(external_id) > _max_length("external_id"):
            raise RecordError(f"external_id may be at most {_max_length('external_id')} characters.")
        if external_id in self.seen:
            where = f" (line {self.seen[external_id]})" if self.seen[external_id] else ""
            raise RecordError(f"external_id {external_id!r} appears twice in this file{where}.")
        self.seen[external_id] = record.line

        original = record.text
        if not isinstance(original, str):
            raise RecordError("text: every record needs a text (a string).")
        if len(original) > ARTICLE_TEXT_MAX_CHARS:
            raise RecordError(
                f"text: an article's text may be at most {ARTICLE_TEXT_MAX_CHARS:,} characters "
                f"(this one has {len(original):,})."
            )
        if record.escaped:
            if _bad_characters([original, record.fields, record.spans], _LONE_SURROGATES):
                raise RecordError(LONE_SURROGATE)
            # PostgreSQL refuses NUL in text and JSON; refuse it on SQLite too, so a corpus moves.
            # A span's note and link URLs are refused by the services' rules, naming the field.
            if _bad_characters([original, record.fields], _NUL):
                raise RecordError("the record holds a NUL character (\\u0000), which cannot be stored.")
        expected_sha = fields.pop("text_sha256", None)
        if expected_sha is not None and expected_sha != text_sha256(original):
            raise RecordError("text_sha256 does not match the record's text.")
        offsets = OffsetMap(original)
        text = offsets.normalized
        if not text.strip():
            raise RecordError("text: the text is empty.")

        spans = self._spans(record.spans, offsets)
        relations = self._relations(record, spans) if record.relations is not None else []
        values, language, direction, language_stated, direction_stated = self._values(fields, text)
        article = _Article(
            line=record.line,
            external_id=external_id,
            values=values,
            language=language,
            direction=direction,
            language_stated=language_stated,
            direction_stated=direction_stated,
            spans=spans,
            relations=relations,
        )
        return article

    def _values(self, fields: dict, text: str) -> tuple[dict, str, str, bool, bool]:
        html_lang = fields.pop("html_lang", None)
        language = fields.pop("language", None)
        if language not in (None, ""):
            if not is_language_tag(language):
                raise RecordError(f"language: {language!r} is not a BCP 47 language tag (e.g. id, fr, ar).")
            language_stated = True
        elif self.language or html_lang:
            language, language_stated = self.language or html_lang, True
        else:
            language, language_stated = None, False
        if language_stated:
            direction = direction_for_language(language)
        else:
            # A guessed language fills a new article but never overwrites a stored one.
            language, direction = guess_language(text)

        values: dict[str, object] = {"text": text}
        title = fields.pop("title", None)
        if title not in (None, ""):
            if not isinstance(title, str):
                raise RecordError("title must be text.")
            title = SPACES.sub(" ", normalize_text(title)).strip()
            if len(title) > TITLE_MAX_LENGTH:
                raise RecordError(f"title: a title may be at most {TITLE_MAX_LENGTH} characters (it has {len(title)}).")
            self._field_rules("title", title)
            values["title"] = title
        stated_direction = fields.pop("direction", None)
        direction_stated = stated_direction not in (None, "")
        if direction_stated:
            if stated_direction not in Article.Direction.values:
                raise RecordError("direction must be ltr or rtl.")
            direction = stated_direction
        for name in ("publisher", "author"):
            if fields.get(name) is not None:
                if not isinstance(fields[name], str):
                    raise RecordError(f"{name} must be text.")
                stated = normalize_text(fields[name]).strip()
                if len(stated) > _max_length(name):
                    raise RecordError(f"{name}: at most {_max_length(name)} characters.")
                self._field_rules(name, stated)
                values[name] = stated
        if "url" in fields:
            url = fields["url"]
            if url is not None and not isinstance(url, str):
                raise RecordError("url must be text or null.")
            if url:
                self._field_rules("url", url)
            values["url"] = url or None
        if "published_at" in fields:
            values["published_at"] = parse_published_at(fields["published_at"])
        if "metadata" in fields:
            if not isinstance(fields["metadata"], dict):
                raise RecordError("metadata must be a JSON object.")
            values["metadata"] = fields["metadata"]
        return values, language, direction, language_stated, direction_stated

    @staticmethod
    def _field_rules(name: str, value: str) -> None:
        """The model field's own validators (http/https URLs, no bidi controls, …), as
        ``full_clean`` would run them, without a query per record."""
        try:
            Article._meta.get_field(name).run_validators(value)
        except ValidationError as exc:
            raise RecordError(f"{name}: {' '.join(exc.messages)}") from None

    # -- relations

    @staticmethod
    def _relations(record: RecordIn, spans: list[_Span]) -> list[tuple[int, int, str]]:
        """Our export's ``relations`` (``from``/``to``) or doccano's (``from_id``/``to_id``): by
        the ``id`` of two spans of the record, in one layer, with a known type."""
        if not isinstance(record.relations, list):
            raise RecordError("relations must be a list.")
        index: dict[object, int] = {}
        for position, span in enumerate(record.spans):
            if isinstance(span.ref, str | int) and not isinstance(span.ref, bool):
                index[span.ref] = -1 if span.ref in index else position  # -1: named twice
        found = []
        for number, relation in enumerate(record.relations):
            where = f"relations[{number}]"
            if not isinstance(relation, Mapping):
                raise RecordError(f"{where}: each relation must be an object.")
            ends = []
            for end_name, keys in (("from", ("from", "from_id")), ("to", ("to", "to_id"))):
                ref = next((relation[key] for key in keys if key in relation), None)
                at = index.get(ref) if isinstance(ref, str | int) and not isinstance(ref, bool) else None
                if at is None or at < 0:
                    problem = "names two spans" if at == -1 else "names no span of this record (by its id)"
                    raise RecordError(f"{where}: {end_name} {ref!r} {problem}.")
                ends.append(at)
            kind = relation.get("type", Relation.Type.ATTRIBUTION)
            if kind not in Relation.Type.values:
                raise RecordError(f"{where}: type must be one of {', '.join(Relation.Type.values)} (got {kind!r}).")
            first, second = spans[ends[0]], spans[ends[1]]
            if ends[0] == ends[1]:
                raise RecordError(f"{where}: a relation links two different spans.")
            if not in_one_layer(first, second):
                raise RecordError(f"{where}: both spans must be in the same layer (one annotator's, or gold).")
            found.append((ends[0], ends[1], kind))
        return found

    # -- spans

    def _spans(self, spans: list[SpanIn], offsets: OffsetMap) -> list[_Span]:
        prepared: list[_Span] = []
        # Spans per layer (an annotator's own, or gold), for a project that refuses overlap.
        layers: dict[tuple, set[tuple[int, int, int]]] = defaultdict(set)
        for span in spans:
            try:
                checked = self._span(span, offsets)
                if not self.project.allow_overlap:
                    layer = layers[("gold",) if checked.is_gold else ("annotator", checked.annotator_id)]
                    key = (checked.start, checked.end, checked.label_id)
                    # The same span twice is a duplicate (skipped when written), not an overlap.
                    hit = overlap_in(((s, e) for s, e, _ in layer - {key}), checked.start, checked.end)
                    if hit is not None:
                        raise ValidationError({"start": OVERLAP_MESSAGE.format(start=hit[0], end=hit[1])})
                    layer.add(key)
                prepared.append(checked)
            except ValidationError as exc:
                raise RecordError(f"span [{span.start!r}, {span.end!r}]: {in_words(exc)}") from None
            except RecordError as exc:
                raise RecordError(f"span [{span.start!r}, {span.end!r}]: {exc}") from None
        return prepared

    def _span(self, span: SpanIn, offsets: OffsetMap) -> _Span:
        if span.text is not None and not isinstance(span.text, str):
            raise RecordError("text must be a string.")
        check_span(offsets.original, span.start, span.end, span.text)
        # check_span accepted the offsets, so they are whole numbers within the text.
        given_start, given_end = cast(int, span.start), cast(int, span.end)
        start: int | None
        end: int | None
        if offsets.identity:
            start, end = given_start, given_end
            covered = offsets.original[start:end]
        else:
            start, end = offsets(given_start), offsets(given_end)
            if start is None or end is None:
                raise RecordError(
                    f"{'start' if start is None else 'end'} falls inside a sequence that normalisation "
                    "(NFC, \\r\\n → \\n) merges into one; give offsets on character boundaries or normalise "
                    "the text first."
                )
            covered = offsets.normalized[start:end]
            if covered != normalize_text(offsets.original[given_start:given_end]):
                raise RecordError("the span does not survive normalisation (NFC, \\r\\n → \\n).")
        label_id = self._label(span.label)
        annotator_id = self._annotator(span.annotator)
        claim = span.claim
        if not claim and self._unchecked is not None:  # doccano, Label Studio: a label and nothing else
            return _Span(annotator_id, start, end, covered, label_id, None, None, self._unchecked, "", False, [])
        checkworthy = claim.get("checkworthy")
        if checkworthy is not None and not isinstance(checkworthy, bool):
            raise RecordError("checkworthy must be true, false or null.")
        is_gold = claim.get("is_gold", False)
        if not isinstance(is_gold, bool):
            raise RecordError("is_gold must be true or false.")
        note = claim.get("note")
        links = claim.get("source_links")
        verdict = claim.get("verdict")
        return _Span(
            annotator_id,
            start,
            end,
            covered,
            label_id,
            self._vocabulary(self._claim_types, "claim_type", claim.get("claim_type")),
            checkworthy,
            self._vocabulary(self._verdicts, "verdict", DEFAULT_VERDICT if verdict is None else verdict),
            clean_note(note) if note else "",
            is_gold,
            self._links(links) if links is not None else [],
        )

    def _vocabulary(self, known: dict, name: str, slug: object) -> int | None:
        if slug in (None, ""):
            return None
        if not isinstance(slug, str):
            raise RecordError(f"{name} must be a slug.")
        if slug not in known:
            raise RecordError(f"{name}: Unknown {name} {slug!r} in project {self.project.slug!r}.")
        if known[slug].retired:
            raise RecordError(f"{name}: the {name} {slug!r} is retired; choose another.")
        return known[slug].pk

    def _label(self, name: object) -> int:
        if name in (None, ""):
            if self.label is not None:
                return self.label.pk
            raise RecordError("label: the span has no label; give one or pass --label LABEL.")
        if not isinstance(name, str):
            raise RecordError("label must be a label slug.")
        if name not in self._labels:  # one lookup per name and file, not one per span
            labels = Label.objects.filter(project=self.project, retired=False)
            label = (
                labels.filter(slug=name).first()
                or labels.filter(slug__iexact=name).first()
                or labels.filter(name__iexact=name).first()
            )
            self._labels[name] = label.pk if label else None
        label_id = self._labels[name]
        if label_id is None:
            known = ", ".join(Label.objects.filter(project=self.project, retired=False).values_list("slug", flat=True))
            raise RecordError(f"label: unknown label {name!r} in project {self.project.slug!r} (known: {known}).")
        return label_id

    def _annotator(self, name: object) -> int:
        if isinstance(name, str) and name:
            if name not in self._users:
                user = get_user_model().objects.filter(username=name).first()
                self._users[name] = user.pk if user else None
            known = self._users[name]
            if known is not None:
                return known
        if self.annotator_id is not None:
            return self.annotator_id
        unknown = f" (user {name!r} does not exist here)" if isinstance(name, str) and name else ""
        raise RecordError(f"the record has spans but no annotator{unknown}; pass --annotator USER.")

    def _links(self, links: object) -> list[LinkSpec]:
        if not isinstance(links, list):
            raise RecordError("source_links must be a list.")
        slugs = {link["source"] for link in links if isinstance(link, Mapping) and isinstance(link.get("source"), str)}
        missing = slugs - self._sources.keys()
        if missing:
            found = Source.objects.in_bulk(missing, field_name="slug")
            self._sources.update({slug: found.get(slug) for slug in missing})
        resolved = []
        for link in links:
            if isinstance(link, Mapping) and isinstance(link.get("source"), str):
                slug, name = link["source"], link.get("name")
                if self._sources[slug] is None and isinstance(name, str) and name.strip():
                    # Our own export names each source; a registry that lacks it gains it (slug and name).
                    self._sources[slug] = self._create_source(slug, name)
                if self._sources[slug] is not None:
                    link = {**link, "source": self._sources[slug]}
            resolved.append(link)
        return resolve_links(resolved)  # the API's rules: relation, http(s) URL, known source

    def _create_source(self, slug: str, name: str) -> Source:
        try:
            source = source_create(slug=slug, name=name.strip()[:200])
        except ValidationError as exc:
            raise RecordError(f"source {slug!r}: {in_words(exc)}") from None
        self.summary.sources_created += 1
        return source


def stored_articles(project: Project, batch: list[_Article]) -> QuerySet[Article]:
    """The articles of ``project`` that the batch's records name (by the unique index)."""
    external_ids = [a.external_id for a in batch]
    if connection.vendor != "postgresql":
        return Article.objects.filter(project=project, external_id__in=external_ids)
    # PostgreSQL has no statistics of the rows a running import added: guessing that the
    # project holds a hundred articles, it took the (project, external_id) index by its
    # project alone and read every article of the project for every batch, quadratic
    # (20 ms a batch at 50,000 articles and growing). One probe of both columns per name
    # (LIMIT 1 keeps the subquery a probe), then the rows found by primary key.
    table = connection.ops.quote_name(Article._meta.db_table)  # from _meta, never from input
    probe = f"SELECT id FROM {table} WHERE project_id = %s AND external_id = e.external_id LIMIT 1"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.id FROM unnest(%s::text[]) AS e(external_id) CROSS JOIN LATERAL ({probe}) a",  # noqa: S608
            [external_ids, project.pk],
        )
        ids = [pk for (pk,) in cursor.fetchall()]
    return Article.objects.filter(pk__in=ids) if ids else Article.objects.none()


def _in_ids(column: str, ids: Collection[int]) -> Q:
    """Rows whose ``column`` is one of ``ids``. The ids' range stands beside the list for
    PostgreSQL's planner: with no statistics of the rows an import just added, it guessed
    that "IN 500 ids" keeps nine rows in ten and read the whole span table for every batch
    of a re-import (quadratic); a range it guesses narrow, and the column's index is the way in."""
    return Q(**{f"{column}__gte": min(ids), f"{column}__lte": max(ids), f"{column}__in": ids})


def _of_articles(ids: list[int]) -> Q:
    """Spans of these articles (``_in_ids``)."""
    return _in_ids("article_id", ids)


class _Writer:
    """Writes validated records a batch at a time."""

    def __init__(self, *, project: Project, summary: ImportSummary, user=None):
        self.project = project
        self.summary = summary
        self.user_id = getattr(user, "pk", None)
        self.pending: list[_Article] = []
        self.article_columns = check_columns(Article, _ARTICLE_ATTRS)
        self.span_columns = check_columns(Annotation, _SPAN_ATTRS)
        self.link_columns = check_columns(SourceLink, _LINK_ATTRS)
        self.relation_columns = check_columns(Relation, _RELATION_ATTRS)
        self._metadata = Article._meta.get_field("metadata")
        self._no_metadata = self._metadata.get_db_prep_save({}, connection)  # most records state none
        self._adapt_datetime = connection.ops.adapt_datetimefield_value
        # History rows are copied while the next batch is read and checked.
        self.in_flight = InFlight()

    def add(self, article: _Article) -> None:
        self.pending.append(article)
        if len(self.pending) >= BATCH_RECORDS:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        batch, self.pending = self.pending, []
        self.in_flight.finish()  # the last batch's history, before this one's INSERTs and COPYs
        now = timezone.now()
        stored = {article.external_id: article for article in stored_articles(self.project, batch)}
        annotated = set()
        if stored:
            annotated = set(
                Annotation.all_objects.filter(_of_articles([a.pk for a in stored.values()])).values_list(
                    "article_id", flat=True
                )
            )
        article_ids: dict[str, int] = {}
        new = []
        for article in batch:
            current = stored.get(article.external_id)
            if current is None:
                new.append(article)
            else:
                self._update(article, current, annotated)
                article_ids[article.external_id] = current.pk
        if new:
            stamp = connection.ops.adapt_datetimefield_value(now)
            ids = insert_returning_ids(Article, self.article_columns, [self._article_row(a, stamp) for a in new])
            article_ids.update(zip((a.external_id for a in new), ids, strict=True))
            self.summary.created += len(new)
        self._write_spans(batch, article_ids, annotated, now)

    def _article_row(self, article: _Article, stamp: object) -> tuple:
        values = article.values
        text = values["text"]
        published_at = values.get("published_at")
        metadata = values.get("metadata")
        return (
            self.project.pk,
            article.external_id,
            values.get("title") or first_line_title(text),
            text,
            article.language,
            article.direction,
            values.get("url"),
            values.get("publisher", ""),
            values.get("author", ""),
            self._adapt_datetime(published_at) if published_at else None,
            text_sha256(text),
            self._metadata.get_db_prep_save(metadata, connection) if metadata else self._no_metadata,
            stamp,
            stamp,
        )

    def _update(self, article: _Article, current: Article, annotated: set[int]) -> None:
        values = dict(article.values)
        if article.language_stated:
            values["language"] = article.language
            values["direction"] = article.direction
        elif article.direction_stated:
            values["direction"] = article.direction
        changed = {name: value for name, value in values.items() if getattr(current, name) != value}
        if not changed:
            self.summary.unchanged += 1
            return
        if "text" in changed and current.pk in annotated:
            raise RecordError(
                f"article {article.external_id!r} already exists with a different text and has annotations; "
                "its text cannot change once annotated (import it under a new external_id).",
                article.line,
            )
        for name, value in changed.items():
            setattr(current, name, value)
        current.save()
        self.summary.updated += 1

    def _write_spans(self, batch: list[_Article], article_ids: dict[str, int], annotated: set[int], now) -> None:
        # Spans already there (deleted ones too: a re-import does not bring them back), by
        # their content, with their ids (the relations of a re-imported record name them).
        existing: dict[int, dict[tuple, int]] = {}
        deleted: set[int] = set()
        reimported = [article_ids[a.external_id] for a in batch if a.spans and article_ids[a.external_id] in annotated]
        if reimported:
            for pk, article_id, gone, *key in Annotation.all_objects.filter(_of_articles(reimported)).values_list(
                "id", "article_id", "deleted_at", "annotator_id", "start", "end", "label_id"
            ):
                existing.setdefault(article_id, {})[tuple(key)] = pk
                if gone is not None:
                    deleted.add(pk)
        # Live spans already there, per layer, for a project that refuses overlap.
        stored: dict[tuple, list[tuple[int, int]]] = defaultdict(list)
        if reimported and not self.project.allow_overlap:
            lock_articles(reimported)  # as the services do: writers of spans there take turns
            for article_id, annotator_id, is_gold, start, end in Annotation.objects.filter(
                _of_articles(reimported)
            ).values_list("article_id", "annotator_id", "is_gold", "start", "end"):
                stored[(article_id, None if is_gold else annotator_id)].append((start, end))
        stamp = connection.ops.adapt_datetimefield_value(now)
        rows: list[tuple] = []
        links: list[list[LinkSpec]] = []
        # Each related record's spans, by position: a stored span's id, or -1 - the new row's index.
        placed: list[tuple[_Article, list[int]]] = []
        for article in batch:
            if not article.spans:
                continue
            article_id = article_ids[article.external_id]
            keys = existing.setdefault(article_id, {})
            for span in article.spans:
                key = (span.annotator_id, span.start, span.end, span.label_id)
                if key in keys:
                    self.summary.spans_skipped += 1
                    continue
                if stored:
                    layer = stored.get((article_id, None if span.is_gold else span.annotator_id))
                    hit = overlap_in(layer, span.start, span.end) if layer else None
                    if hit is not None:
                        raise RecordError(
                            f"span [{span.start}, {span.end}]: start: "
                            + OVERLAP_MESSAGE.format(start=hit[0], end=hit[1]),
                            article.line,
                        )
                keys[key] = -1 - len(rows)
                rows.append((article_id, *span[:10], stamp, stamp, 1, None))
                links.append(span.links)
            if article.relations:
                placed.append((article, [keys[(s.annotator_id, s.start, s.end, s.label_id)] for s in article.spans]))
        if not rows and not placed:
            return
        ids = insert_returning_ids(Annotation, self.span_columns, rows) if rows else []
        self.summary.spans_created += len(rows)
        link_rows = [
            (pk, spec.source.pk, spec.url, spec.relation)
            for pk, specs in zip(ids, links, strict=True)
            for spec in specs
        ]
        link_ids = insert_returning_ids(SourceLink, self.link_columns, link_rows) if link_rows else []
        if placed:
            self._write_relations(placed, ids, deleted, stamp)
        # Last, so that they run on the server while the next batch is read and checked.
        history = {"history_date": stamp, "user_id": self.user_id, "in_flight": self.in_flight}
        copy_history(Annotation, ids, **history)
        copy_history(SourceLink, link_ids, **history)

    def _write_relations(self, placed: list[tuple[_Article, list[int]]], ids: list[int], deleted: set[int], stamp):
        """The records' relations between their spans (new or already stored), each once."""
        wanted: dict[tuple[int, int, str], int] = {}
        for article, where in placed:
            span_ids = [ids[-1 - at] if at < 0 else at for at in where]
            for first, second, kind in article.relations:
                pair = (span_ids[first], span_ids[second], kind)
                if pair[0] in deleted or pair[1] in deleted or pair[0] == pair[1]:
                    # A span deleted here since (its relations went with it), or two spans of
                    # the record that are one and the same span here.
                    continue
                wanted.setdefault(pair, self.user_id or article.spans[first].annotator_id)
        new = set(ids)
        stored_ids = {pk for pair in wanted for pk in pair[:2] if pk not in new}
        if stored_ids:
            for pair in Relation.objects.filter(_in_ids("from_annotation_id", stored_ids)).values_list(
                "from_annotation_id", "to_annotation_id", "type"
            ):
                wanted.pop(pair, None)
        rows = [(first, second, kind, user_id, stamp) for (first, second, kind), user_id in wanted.items()]
        if rows:
            relation_ids = insert_returning_ids(Relation, self.relation_columns, rows)
            copy_history(Relation, relation_ids, history_date=stamp, user_id=self.user_id, in_flight=self.in_flight)
            self.summary.relations_created += len(rows)


@contextmanager
def _objects_before_frozen() -> Iterator[None]:
    """Leave the objects that exist before the import out of the garbage collector's scans.

    An import makes millions of short-lived objects, so the collector's oldest generation
    runs a few dozen times per large file, and each of those runs walks every object of the
    process (Django's modules, models, settings, …), not only the import's. ``gc.freeze``
    sets those aside until the import ends (``gc.unfreeze``); nothing is left uncollected
    for longer than the import. Left as it is when something else froze objects already.
    """
    if gc.get_freeze_count() or not gc.isenabled():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _default_external_id(stem: str, line: int | None) -> str:
    return stem if line is None else f"{stem}-{line}"


def import_stream(
    stream: BinaryIO,
    *,
    project: Project,
    name: str,
    format: str,
    language: str | None = None,
    annotator=None,
    label: Label | None = None,
    user=None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import one file's records in one transaction; raise ``ImportFileError`` and keep nothing on a bad one.

    ``name`` names the file in messages and gives the default ``external_id`` (its stem);
    ``progress(processed, total)`` is called as records are written (``stream`` must be
    seekable for the total to be counted first).
    """
    stem = Path(name).stem
    reader = READERS.get(format)
    if reader is None:
        raise ImportFileError(name, None, f"unknown format {format!r}.")
    if language is not None and not is_language_tag(language):
        raise ImportFileError(name, None, f"--language {language!r} is not a BCP 47 language tag.")
    summary = ImportSummary()
    line: int | None = None
    try:
        total = 0
        if progress is not None:
            total = COUNTERS[format](stream)
            stream.seek(0)
            progress(0, total)
        with transaction.atomic(), _objects_before_frozen():
            compress_fast()
            validator = _Validator(
                project=project, language=language, annotator=annotator, label=label, summary=summary
            )
            writer = _Writer(project=project, summary=summary, user=user)
            processed = 0
            with writer.in_flight:  # waited for before the transaction ends, whichever way
                for record in reader(stream):
                    line = record.line
                    writer.add(validator.article(record, _default_external_id(stem, line)))
                    processed += 1
                    if progress is not None and not writer.pending:
                        progress(processed, total)  # after each written batch
                writer.flush()
            if progress is not None:
                progress(processed, max(total, processed))
            if dry_run:
                transaction.set_rollback(True)
    except RecordError as exc:
        raise ImportFileError(name, exc.line if exc.line is not None else line, str(exc)) from None
    except ValidationError as exc:
        raise ImportFileError(name, line, in_words(exc)) from None
    except DatabaseError as exc:
        raise ImportFileError(name, line, f"the database refused the record ({exc}).") from None
    return summary


class ImportOptions(TypedDict, total=False):
    """What ``import_file`` passes on to ``import_stream``: the project and the defaults for its records."""

    project: Required[Project]
    language: str | None
    annotator: Any
    label: Label | None
    user: Any
    dry_run: bool
    progress: Progress | None


def import_file(path: str | Path, *, format: str = "auto", **options: Unpack[ImportOptions]) -> ImportSummary:
    """Import one file from disk (see ``import_stream``); ``format="auto"`` goes by its suffix."""
    path = Path(path)
    name = str(path)
    try:
        with path.open("rb", buffering=READ_BUFFER_BYTES) as stream:
            kind = format
            if format == "auto":
                detected = detect_format(name, stream.read(64))
                stream.seek(0)
                if detected is None:
                    raise ImportFileError(name, None, f"unsupported file type (use {', '.join(sorted(SUFFIXES))}).")
                kind = detected
            return import_stream(stream, name=name, format=kind, **options)
    except OSError as exc:
        raise ImportFileError(name, None, f"cannot read the file ({exc.strerror}).") from None

"""Corpus export: the annotated corpus as JSON Lines, for the API and ``export_corpus``.

Formats (one JSON object per line, UTF-8, not ASCII-escaped):

- ``jsonl``: one record per article with its annotations (the record in DESIGN.md);
- ``doccano``: ``{"id", "text", "label": [[start, end, label], ...]}`` per article;
- ``spans``: one flat record per annotation, article fields repeated, for pandas;
- ``w3c``: one W3C Web Annotation per annotation.

The export streams: articles are read in keyset-paginated chunks (``id > last``) with
three queries per chunk whatever the chunk holds (the articles; their annotations with
label, claim type, verdict and annotator joined in; those annotations' source links with
their sources), rows are fetched as tuples and turned into JSON without model instances
or serializers, and the whole export reads one snapshot of the database (see
:func:`read_snapshot`). Memory stays bounded by one chunk. docs/export.md has the record
formats and the measurements.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import NamedTuple
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, Func, OuterRef, QuerySet, TextField
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from annotations.importing import is_language_tag
from annotations.models import Annotation, Article, Label, SourceLink

FORMATS = ("jsonl", "doccano", "spans", "w3c")
LAYERS = ("annotations", "gold", "all")
DEFAULT_CHUNK_SIZE = 500
FIRST_CHUNK_SIZE = 50  # a short first chunk: the response starts after 50 articles, not 500
MAX_ARTICLE_IDS = 1000
CONTENT_TYPE = "application/x-ndjson; charset=utf-8"
W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
QUOTE_CONTEXT = 32  # code points of prefix/suffix in a TextQuoteSelector

ARTICLE_KEYS = (
    "id",
    "external_id",
    "title",
    "language",
    "direction",
    "url",
    "publisher",
    "author",
    "published_at",
    "text",
    "text_sha256",
    "annotations",
)
ANNOTATION_KEYS = (
    "id",
    "start",
    "end",
    "text",
    "label",
    "claim_type",
    "checkworthy",
    "verdict",
    "note",
    "source_links",
    "annotator",
    "created_at",
    "updated_at",
    "is_gold",
)
SPAN_KEYS = (
    "article_id",
    "external_id",
    "language",
    "annotation_id",
    "start",
    "end",
    "text",
    "label",
    "claim_type",
    "checkworthy",
    "verdict",
    "note",
    "sources",
    "annotator",
    "created_at",
    "updated_at",
    "is_gold",
)


class _ArticleRow(NamedTuple):
    """One article row as read; ``metadata`` only with ``metadata=1``."""

    id: int
    external_id: str
    title: str
    language: str
    direction: str
    url: str
    publisher: str
    author: str
    published_at: datetime | None
    text: str
    text_sha256: str
    metadata: object = None


_ARTICLE_COLUMNS = _ArticleRow._fields[:-1]  # all but metadata
_SPAN_COLUMNS = (  # in _SpanRow's order
    "article_id",
    "id",
    "start",
    "end",
    "text",
    "label__slug",
    "claim_type__slug",
    "checkworthy",
    "verdict__slug",
    "note",
    "annotator__username",
    "created_at",
    "updated_at",
    "is_gold",
)


class _SpanRow(NamedTuple):
    """One span row as read (``_SPAN_COLUMNS``); timestamps and booleans as the database gives them."""

    article_id: int
    id: int
    start: int
    end: int
    text: str
    label: str
    claim_type: str | None
    checkworthy: object
    verdict: str | None
    note: str
    annotator: str
    created_at: object
    updated_at: object
    is_gold: object


# JSON value of a boolean column, read as a bool or as 0/1.
_BOOLEAN = {None: None, 0: False, 1: True}
_LINK_COLUMNS = ("annotation_id", "source__slug", "source__name", "url", "relation")

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")

# Compact separators, no ASCII escaping; one encoder reused (json.dumps builds one per call).
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


@dataclass(frozen=True)
class ExportOptions:
    """What to export. Build it with :func:`parse_export_options` from request or command input."""

    format: str = "jsonl"
    language: str | None = None
    annotator: str | None = None
    label: str | None = None
    since: datetime | None = None
    articles: tuple[int, ...] = field(default=())
    anonymize: bool = False
    include_empty: bool = True
    layer: str = "annotations"
    metadata: bool = False

    @property
    def filename(self) -> str:
        return f"factcheck-{self.format}-{timezone.now().date().isoformat()}.jsonl"


def parse_export_options(params: Mapping[str, object]) -> ExportOptions:
    """Validate export parameters (strings, as in a query string) into ``ExportOptions``.

    Raises ``ValidationError`` with one message per bad field. Absent or empty values
    take their defaults. ``since`` keeps only annotations changed at or after it, so an
    article none of whose selected annotations changed is left out.
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
        and not get_user_model().objects.filter(username=annotator).exists()
    ):
        errors["annotator"] = f"Unknown annotator {_shown(annotator)}."

    since = None
    raw_since = text("since")
    if raw_since is not None:
        since = _parse_timestamp(raw_since)
        if since is None:
            errors["since"] = "since must be an ISO 8601 timestamp such as 2025-11-01 or 2025-11-01T08:00:00Z."

    articles: tuple[int, ...] = ()
    raw_articles = text("article")
    if raw_articles is not None:
        parts = [part.strip() for part in raw_articles.split(",") if part.strip()]
        if not parts or not all(part.isascii() and part.isdigit() for part in parts):
            errors["article"] = "article must be article ids separated by commas, e.g. 3,17."
        elif len(parts) > MAX_ARTICLE_IDS:
            errors["article"] = f"article may list at most {MAX_ARTICLE_IDS} ids."
        elif any(len(part) > 19 or int(part) >= 2**63 for part in parts):
            errors["article"] = "article ids must be below 2^63."
        else:
            articles = tuple(sorted({int(part) for part in parts}))

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
        language=language,
        annotator=annotator,
        label=label,
        since=since,
        articles=articles,
        anonymize=bool(anonymize),
        include_empty=include_empty,
        layer=layer,
        metadata=bool(metadata),
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


def pseudonym(username: str) -> str:
    """A stable, non-reversible stand-in for a username (keyed by SECRET_KEY)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), b"factcheck-export-pseudonym\x00" + username.encode(), hashlib.sha256
    ).hexdigest()
    return "annotator-" + digest[:10]


def _iso(value: datetime | None) -> str | None:
    # Django hands back aware UTC datetimes; write them the way the API does (…Z).
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _iso_from_sqlite_text(value: str | None) -> str | None:
    # Django writes aware datetimes to SQLite as naive UTC text, "YYYY-MM-DD HH:MM:SS[.ffffff]";
    # reshaping that text gives what _iso gives for the parsed value, without parsing it.
    if value is None:
        return None
    if len(value) in (19, 26) and value[10] == " ":
        return f"{value[:10]}T{value[11:]}Z"
    parsed = parse_datetime(value)  # anything else: the general path
    if parsed is None:
        return value
    return _iso(parsed.astimezone(UTC) if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC))


def _iso_from_postgresql_text(value: str | None) -> str | None:
    # _TimestampText's PostgreSQL form, "YYYY-MM-DDTHH:MM:SS.ffffff": as _iso writes it.
    if value is None:
        return None
    return f"{value[:-7]}Z" if value.endswith(".000000") else f"{value}Z"


class _TimestampText(Func):
    """A timestamp column as text in UTC, for the export to reshape instead of parsing.

    Django would turn each value into a datetime (in Python, row by row: a third of the
    export's time) only for the export to write it back as text.
    """

    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra):
        # The stored text: Django writes UTC as "YYYY-MM-DD HH:MM:SS[.ffffff]".
        return self.as_sql(compiler, connection, template="CAST(%(expressions)s AS text)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        template = "to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')"
        return self.as_sql(compiler, connection, template=template, **extra)


_TIMESTAMP_TEXT = {"sqlite": _iso_from_sqlite_text, "postgresql": _iso_from_postgresql_text}


class _InIds(Func):
    """``column IN ids`` with the ids as one query parameter, however many there are.

    Django would send one parameter per id (SQLite takes at most 32,766) and prepare each
    in Python; PostgreSQL gets an array, SQLite a JSON list. Ids are integers.
    """

    output_field = BooleanField()

    def __init__(self, column: str, ids: list[int]):
        super().__init__(F(column))
        self.ids = [int(value) for value in ids]

    def as_sql(self, compiler, connection, **extra):
        placeholders = ", ".join(["%s"] * len(self.ids)) or "NULL"
        sql, params = super().as_sql(compiler, connection, template=f"%(expressions)s IN ({placeholders})", **extra)
        return sql, (*params, *self.ids)

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = super().as_sql(compiler, connection, template="%(expressions)s = ANY(%%s::bigint[])", **extra)
        return sql, (*params, self.ids)

    def as_sqlite(self, compiler, connection, **extra):
        template = "%(expressions)s IN (SELECT value FROM json_each(%%s))"
        sql, params = super().as_sql(compiler, connection, template=template, **extra)
        return sql, (*params, json.dumps(self.ids))


def _escape_line_separators(text: str) -> str:
    # JSON leaves U+0085, U+2028 and U+2029 raw, but str.splitlines() and some JSON
    # Lines readers break lines there; escaped, every record stays on one line.
    if "\u2028" in text:
        text = text.replace("\u2028", "\\u2028")
    if "\u2029" in text:
        text = text.replace("\u2029", "\\u2029")
    if "\x85" in text:
        text = text.replace("\x85", "\\u0085")
    return text


# For the export's own transaction. Every read is by index by design (articles by primary
# key, spans by article, links by span) and each chunk query is small; without statistics
# (a fresh import before autovacuum, or autovacuum off) PostgreSQL misjudges them and
# chose, per chunk, a parallel sequential scan of the whole link table, JIT-compiled.
_POSTGRESQL_EXPORT_SETTINGS = ("enable_seqscan = off", "max_parallel_workers_per_gather = 0", "jit = off")


@contextmanager
def read_snapshot(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Read everything inside one read-only snapshot of the database.

    PostgreSQL: a REPEATABLE READ, READ ONLY transaction. SQLite: a deferred transaction,
    which in WAL mode is a snapshot that takes no write lock (the project's connections
    begin IMMEDIATE, which would block every annotator's save for the whole export).
    Inside a caller's transaction (tests), the export reads in that transaction.
    """
    connection = connections[using]
    if connection.in_atomic_block:
        yield
        return
    with ExitStack() as stack:
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            mode, connection.transaction_mode = connection.transaction_mode, "DEFERRED"
            try:
                stack.enter_context(transaction.atomic(using=using))
            finally:
                connection.transaction_mode = mode
        else:
            stack.enter_context(transaction.atomic(using=using))
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    for setting in _POSTGRESQL_EXPORT_SETTINGS:
                        cursor.execute(f"SET LOCAL {setting}")
        yield


class _PerRowExists(Exists):
    """EXISTS checked for each outer row, as written.

    PostgreSQL turns an EXISTS into a join and may then drive the query from the subquery
    (without statistics, from the deleted_at index: every live span for every chunk).
    OFFSET 0 keeps it a per-row check: one primary-key or article-index probe a row.
    """

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="EXISTS(%(subquery)s OFFSET 0)", **extra)


class _Selection:
    """The querysets for one export: which articles, which annotations, which links."""

    def __init__(self, options: ExportOptions, *, user, using: str):
        # Which spans: live ones (Annotation.objects) that the caller may read (visible_to)
        # and that pass the filters.
        selected = Annotation.objects.using(using).all()
        if user is not None:
            selected = selected.visible_to(user)
        if options.layer == "annotations":
            selected = selected.filter(is_gold=False)
        elif options.layer == "gold":
            selected = selected.filter(is_gold=True)
        if options.annotator is not None:
            selected = selected.filter(annotator__username=options.annotator)
        if options.label is not None:
            selected = selected.filter(label__slug=options.label)
        if options.since is not None:
            selected = selected.filter(updated_at__gte=options.since)
        # That selection is checked row by row through the primary key, and the chunk
        # queries range over the chunk's articles only. Written as one WHERE clause, a
        # database without statistics (SQLite until someone runs ANALYZE; PostgreSQL before
        # autovacuum has analyzed a fresh import) takes an indexed filter such as
        # deleted_at IS NULL or annotator_id = 3 for a selective one and reads every
        # matching span of the corpus for every chunk: quadratic, 21 s instead of 1 s at
        # 10k articles. A primary-key probe per span costs a few percent.
        annotations = Annotation.all_objects.using(using).filter(_PerRowExists(selected.filter(pk=OuterRef("pk"))))

        articles = Article.objects.using(using).all()
        if options.language is not None:
            articles = articles.filter(language=options.language)
        if options.articles:
            articles = articles.filter(pk__in=options.articles)
        if not options.include_empty:
            articles = articles.filter(_PerRowExists(annotations.filter(article_id=OuterRef("pk"))))

        self.annotations: QuerySet = annotations
        self.articles: QuerySet = articles
        self.article_columns = _ArticleRow._fields if options.metadata else _ARTICLE_COLUMNS
        self.vendor = connections[using].vendor
        self.using = using
        # Span timestamps as the database's text (see _TimestampText), and on SQLite the
        # booleans as sqlite3 decodes them: typed as text, so Django adds no per-row converter.
        self.timestamp = _TIMESTAMP_TEXT.get(self.vendor, _iso)
        raw: dict[str, object] = {}
        if self.vendor in _TIMESTAMP_TEXT:
            raw = {"created_at": _TimestampText("created_at"), "updated_at": _TimestampText("updated_at")}
        if self.vendor == "sqlite":
            raw |= {name: ExpressionWrapper(F(name), TextField()) for name in ("checkworthy", "is_gold")}
        self.annotations_for_rows = annotations.annotate(**{f"{name}_raw": value for name, value in raw.items()})
        self.span_columns = tuple(f"{name}_raw" if name in raw else name for name in _SPAN_COLUMNS)

    def article_rows(self, after: int, limit: int) -> list[_ArticleRow]:
        rows = self.articles.filter(pk__gt=after).order_by("pk").values_list(*self.article_columns)[:limit]
        return [_ArticleRow(*row) for row in rows]

    def span_rows(self, article_ids: list[int]) -> list[_SpanRow]:
        spans = self.annotations_for_rows.filter(article_id__in=article_ids)
        return list(
            map(_SpanRow._make, spans.order_by("article_id", "start", "end", "id").values_list(*self.span_columns))
        )

    def link_rows(self, span_ids: list[int]) -> list[tuple]:
        # By the exported spans' ids: through a join or a subquery on the span selection,
        # PostgreSQL chose to hash the whole link table for every chunk.
        links = SourceLink.objects.using(self.using).filter(_InIds("annotation_id", span_ids))
        return list(links.order_by("annotation_id", "id").values_list(*_LINK_COLUMNS))


Record = dict[str, object]


class _Renderer:
    """Turns one chunk's rows into records. Subclasses say which rows they need."""

    needs_links = True

    def __init__(self, options: ExportOptions, *, timestamp: Callable[[object], str | None] = _iso):
        self.anonymize = options.anonymize
        self.metadata = options.metadata
        self.timestamp = timestamp  # how span timestamps arrive: datetimes, or SQLite's stored text
        self._names: dict[str, str] = {}

    def name(self, username: str) -> str:
        if not self.anonymize:
            return username
        name = self._names.get(username)
        if name is None:
            name = self._names[username] = pseudonym(username)
        return name

    def records(
        self, articles: list[_ArticleRow], spans: dict[int, list[_SpanRow]], links: dict[int, list]
    ) -> Iterable[Record]:
        raise NotImplementedError


class _ArticleRecords(_Renderer):
    def records(self, articles, spans, links):
        no_spans: list[_SpanRow] = []
        no_links: list = []
        name, stamp = self.name, self.timestamp
        for row in articles:
            record = {
                "id": row.id,
                "external_id": row.external_id,
                "title": row.title,
                "language": row.language,
                "direction": row.direction or None,
                "url": row.url or None,
                "publisher": row.publisher or None,
                "author": row.author or None,
                "published_at": _iso(row.published_at),
                "text": row.text,
                "text_sha256": row.text_sha256,
            }
            if self.metadata:
                record["metadata"] = row.metadata
            record["annotations"] = [
                {
                    "id": span.id,
                    "start": span.start,
                    "end": span.end,
                    "text": span.text,
                    "label": span.label,
                    "claim_type": span.claim_type,
                    "checkworthy": _BOOLEAN[span.checkworthy],
                    "verdict": span.verdict,
                    "note": span.note,
                    "source_links": links.get(span.id, no_links),
                    "annotator": name(span.annotator),
                    "created_at": stamp(span.created_at),
                    "updated_at": stamp(span.updated_at),
                    "is_gold": _BOOLEAN[span.is_gold],
                }
                for span in spans.get(row.id, no_spans)
            ]
            yield record


class _DoccanoRecords(_Renderer):
    needs_links = False

    def records(self, articles, spans, links):
        no_spans: list[_SpanRow] = []
        for row in articles:
            yield {
                "id": row.id,
                "text": row.text,
                "label": [[span.start, span.end, span.label] for span in spans.get(row.id, no_spans)],
            }


class _SpanRecords(_Renderer):
    def records(self, articles, spans, links):
        no_links: list = []
        name, stamp = self.name, self.timestamp
        for row in articles:
            aid, external_id, language = row.id, row.external_id, row.language
            for span in spans.get(aid, ()):
                yield {
                    "article_id": aid,
                    "external_id": external_id,
                    "language": language,
                    "annotation_id": span.id,
                    "start": span.start,
                    "end": span.end,
                    "text": span.text,
                    "label": span.label,
                    "claim_type": span.claim_type,
                    "checkworthy": _BOOLEAN[span.checkworthy],
                    "verdict": span.verdict,
                    "note": span.note,
                    "sources": [link["source"] for link in links.get(span.id, no_links)],
                    "annotator": name(span.annotator),
                    "created_at": stamp(span.created_at),
                    "updated_at": stamp(span.updated_at),
                    "is_gold": _BOOLEAN[span.is_gold],
                }


def article_urn(external_id: str) -> str:
    return "urn:factcheck:article:" + quote(external_id, safe="-._~:")


class _W3CRecords(_Renderer):
    """W3C Web Annotation Data Model, one annotation per line.

    Bodies: the label as a ``tagging`` tag; claim type (``classifying``), verdict and
    check-worthiness (``assessing``) as prefixed tags (``claim_type:quantity``,
    ``verdict:false``, ``checkworthy:yes``) so they cannot be mistaken for one another;
    the note as a ``commenting`` body; each source link as a ``linking`` SpecificResource
    (the report's URL, else ``urn:factcheck:source:<slug>``) plus a tag
    ``source:<slug>:<relation>``; gold spans carry the tag ``layer:gold``.
    """

    def records(self, articles, spans, links):
        no_links: list = []
        name, stamp = self.name, self.timestamp
        for row in articles:
            article_spans = spans.get(row.id)
            if not article_spans:
                continue
            text = row.text
            source = row.url or article_urn(row.external_id)
            for span in article_spans:
                start, end = span.start, span.end
                body: list[Record] = [{"type": "TextualBody", "purpose": "tagging", "value": span.label}]
                if span.claim_type is not None:
                    body.append(
                        {"type": "TextualBody", "purpose": "classifying", "value": "claim_type:" + span.claim_type}
                    )
                if span.verdict is not None:
                    body.append({"type": "TextualBody", "purpose": "assessing", "value": "verdict:" + span.verdict})
                if span.checkworthy is not None:
                    body.append(
                        {
                            "type": "TextualBody",
                            "purpose": "assessing",
                            "value": "checkworthy:yes" if span.checkworthy else "checkworthy:no",
                        }
                    )
                if span.note:
                    body.append(
                        {"type": "TextualBody", "purpose": "commenting", "value": span.note, "format": "text/plain"}
                    )
                for link in links.get(span.id, no_links):
                    body.append(
                        {
                            "type": "SpecificResource",
                            "purpose": "linking",
                            "source": link["url"] or "urn:factcheck:source:" + link["source"],
                        }
                    )
                    body.append(
                        {
                            "type": "TextualBody",
                            "purpose": "tagging",
                            "value": f"source:{link['source']}:{link['relation']}",
                        }
                    )
                if span.is_gold:
                    body.append({"type": "TextualBody", "purpose": "tagging", "value": "layer:gold"})
                yield {
                    "@context": W3C_CONTEXT,
                    "id": f"urn:factcheck:annotation:{span.id}",
                    "type": "Annotation",
                    "created": stamp(span.created_at),
                    "modified": stamp(span.updated_at),
                    "creator": {"type": "Person", "nickname": name(span.annotator)},
                    "body": body,
                    "target": {
                        "source": source,
                        "selector": [
                            {
                                "type": "TextQuoteSelector",
                                "exact": span.text,
                                "prefix": text[max(0, start - QUOTE_CONTEXT) : start],
                                "suffix": text[end : end + QUOTE_CONTEXT],
                            },
                            {"type": "TextPositionSelector", "start": start, "end": end},
                        ],
                    },
                }


_RENDERERS: dict[str, type[_Renderer]] = {
    "jsonl": _ArticleRecords,
    "doccano": _DoccanoRecords,
    "spans": _SpanRecords,
    "w3c": _W3CRecords,
}


def export_chunks(
    options: ExportOptions, *, user, chunk_size: int = DEFAULT_CHUNK_SIZE, using: str = DEFAULT_DB_ALIAS
) -> Iterator[bytes]:
    """Yield the export as UTF-8 JSON Lines, one piece per chunk of ``chunk_size`` articles
    (the first chunk holds at most ``FIRST_CHUNK_SIZE``, so the response starts early).

    ``user`` is whose view to export (``Annotation.objects.visible_to``); ``None`` exports
    everyone's annotations (the management command). Nothing is read until the first
    piece is asked for; the snapshot transaction ends when the generator is exhausted or
    closed (``StreamingHttpResponse.close()`` closes it).
    """
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    with read_snapshot(using):
        selection = _Selection(options, user=user, using=using)
        renderer = _RENDERERS[options.format](options, timestamp=selection.timestamp)
        after, limit = 0, min(chunk_size, FIRST_CHUNK_SIZE)
        while True:
            articles = selection.article_rows(after, limit)
            if not articles:
                return
            ids = [row.id for row in articles]
            spans: dict[int, list[_SpanRow]] = {}
            span_ids = []
            for row in selection.span_rows(ids):
                spans.setdefault(row.article_id, []).append(row)
                span_ids.append(row.id)
            links: dict[int, list[dict]] = {}
            if renderer.needs_links and spans:
                for annotation_id, slug, source_name, url, relation in selection.link_rows(span_ids):
                    links.setdefault(annotation_id, []).append(
                        {"source": slug, "name": source_name, "url": url or None, "relation": relation}
                    )
            lines = [_encode(record) for record in renderer.records(articles, spans, links)]
            if lines:
                lines.append("")
                yield _escape_line_separators("\n".join(lines)).encode()
            if len(articles) < limit:
                return
            after, limit = articles[-1].id, chunk_size


class _FormatIsNotARenderer(DefaultContentNegotiation):
    """``?format=`` names the export format here, not a DRF renderer (which would 404)."""

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = renderers[0]
        return renderer, renderer.media_type


class ExportView(APIView):
    """``GET /api/export/``: the corpus as JSON Lines, streamed; the caller's visible spans."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = _FormatIsNotARenderer

    @extend_schema(
        operation_id="export_corpus",
        parameters=[
            OpenApiParameter("format", str, enum=list(FORMATS), description="Record format (default jsonl)."),
            OpenApiParameter("language", str, description="Only articles in this language (BCP 47)."),
            OpenApiParameter("annotator", str, description="Only this annotator's spans (username)."),
            OpenApiParameter("label", str, description="Only spans with this label (slug)."),
            OpenApiParameter("since", OpenApiTypes.DATETIME, description="Only spans updated at or after this."),
            OpenApiParameter("article", str, description="Only these article ids, comma-separated."),
            OpenApiParameter("anonymize", OpenApiTypes.BOOL, description="Stable pseudonyms instead of usernames."),
            OpenApiParameter("include_empty", OpenApiTypes.BOOL, description="Articles without spans (default 1)."),
            OpenApiParameter("layer", str, enum=list(LAYERS), description="annotations (default), gold or all."),
            OpenApiParameter("metadata", OpenApiTypes.BOOL, description="jsonl: add each article's metadata object."),
        ],
        responses={
            (200, "application/x-ndjson"): OpenApiResponse(OpenApiTypes.STR, description="One JSON object a line."),
            400: OpenApiResponse(description="A message per bad parameter."),
        },
    )
    def get(self, request):
        try:
            options = parse_export_options(request.query_params)
        except ValidationError as exc:
            return Response(exc.message_dict, status=400)
        response = StreamingHttpResponse(export_chunks(options, user=request.user), content_type=CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{options.filename}"'
        return response


export_view = ExportView.as_view()

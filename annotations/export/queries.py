"""The export's SQL plumbing: rows read as tuples in keyset chunks, inside one read snapshot.

Timestamps are read as text and reshaped (not parsed) into ISO 8601; see ``TimestampText``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from typing import NamedTuple, cast

import orjson
from django.db import DEFAULT_DB_ALIAS, NotSupportedError, connections, transaction
from django.db.models import BooleanField, Exists, F, Func, OuterRef, QuerySet, Subquery, TextField
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from annotations.export.options import ExportOptions
from annotations.models import Annotation, Article, Project, Relation, SourceLink, is_staff_user


class ArticleRow(NamedTuple):
    """One article row as read; ``metadata`` only with ``metadata=1``."""

    id: int
    project: str
    external_id: str
    title: str
    language: str
    direction: str
    url: str
    publisher: str
    author: str
    published_at: object  # as the database gives it: see TimestampText
    text: str
    text_sha256: str
    metadata: object = None


# The columns behind ArticleRow's fields (the project by its slug); all but metadata by default.
_ARTICLE_COLUMNS_WITH_METADATA = tuple("project_slug" if name == "project" else name for name in ArticleRow._fields)
_ARTICLE_COLUMNS = _ARTICLE_COLUMNS_WITH_METADATA[:-1]
_SPAN_COLUMNS = (  # in SpanRow's order
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


class SpanRow(NamedTuple):
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


class RelationRow(NamedTuple):
    """One relation between two exported spans; ``created_at`` as the span timestamps arrive."""

    id: int
    from_id: int
    to_id: int
    type: str
    created_at: object


# JSON value of a boolean column, read as a bool or as 0/1.
BOOLEAN = {None: None, 0: False, 1: True}
_LINK_COLUMNS = ("annotation_id", "source__slug", "source__name", "url", "relation")


def iso(value: datetime | None) -> str | None:
    # Django hands back aware UTC datetimes; write them the way the API does (…Z).
    if value is None:
        return None
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def iso_from_sqlite_text(value: str | None) -> str | None:
    # Django writes aware datetimes to SQLite as naive UTC text, "YYYY-MM-DD HH:MM:SS[.ffffff]";
    # reshaping that text gives what iso gives for the parsed value, without parsing it.
    if value is None:
        return None
    if len(value) in (19, 26) and value[10] == " ":
        return value.replace(" ", "T", 1) + "Z"  # the date holds no space: the one at 10
    parsed = parse_datetime(value)  # anything else: the general path
    if parsed is None:
        return value
    return iso(parsed.astimezone(UTC) if timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC))


def iso_from_postgresql_text(value: str | None) -> str | None:
    # TimestampText's PostgreSQL form, "YYYY-MM-DDTHH:MM:SS.ffffff": as iso writes it.
    if value is None:
        return None
    return f"{value[:-7]}Z" if value.endswith(".000000") else f"{value}Z"


class TimestampText(Func):
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


_TIMESTAMP_TEXT = {"sqlite": iso_from_sqlite_text, "postgresql": iso_from_postgresql_text}


class _ChunkIds:
    """Stands for one chunk's ids among a compiled query's parameters (see ChunkQuery)."""

    def __init__(self, part: str = "ids"):
        self.part = part  # "ids", or their "low" or "high" end

    def __repr__(self) -> str:
        return f"<the chunk's {self.part}>"


CHUNK_IDS = _ChunkIds()
CHUNK_LOW = _ChunkIds("low")
CHUNK_HIGH = _ChunkIds("high")


class _InIds(Func):
    """``column IN (the chunk's ids)`` with the ids as one query parameter, however many.

    Django would send one parameter per id (SQLite takes at most 32,766) and prepare each
    in Python, and the SQL would change with their number. Here the SQL stays the same
    (compiled once, see ChunkQuery) and the ids arrive as one value when it runs:
    a PostgreSQL array, an SQLite JSON list.
    """

    output_field = BooleanField()

    def __init__(self, column: str):
        super().__init__(F(column))

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError("The export runs on SQLite or PostgreSQL.")

    def as_postgresql(self, compiler, connection, **extra):
        # Without statistics PostgreSQL guesses that "= ANY" of 500 ids keeps 92% of the
        # rows (1 - 0.995^500), so it drove the span query from the label index instead:
        # every span of the corpus read and filtered for every chunk, quadratic (481 s for
        # 100k articles). A range between the lowest and the highest id, which it guesses
        # at 0.5%, makes the column's index the way in; the ANY keeps the ids exact.
        column, params = compiler.compile(self.source_expressions[0])
        sql = f"({column} BETWEEN %s AND %s AND {column} = ANY(%s::bigint[]))"
        return sql, (*params, CHUNK_LOW, CHUNK_HIGH, *params, CHUNK_IDS)

    def as_sqlite(self, compiler, connection, **extra):
        template = "%(expressions)s IN (SELECT value FROM json_each(%%s))"
        sql, params = super().as_sql(compiler, connection, template=template, **extra)
        return sql, (*params, CHUNK_IDS)


class ChunkQuery:
    """A queryset filtered on ``_InIds``, compiled to SQL once and run once per chunk.

    Compiling the span query (its EXISTS subquery, its joins, the filters) for every
    chunk cost more than running it; the rows come straight from the driver in one
    fetchall, without Django's per-row work (fetchmany by 100, converters, a tuple per
    row), so every column must already be what the renderers take (see Selection).
    """

    def __init__(self, queryset: QuerySet, using: str):
        self.connection = connections[using]
        self.sql, params = queryset.query.get_compiler(using).as_sql()
        self.params = list(params)
        self.slots = [(n, value) for n, value in enumerate(self.params) if isinstance(value, _ChunkIds)]

    def rows(self, ids: list[int]) -> list[tuple]:
        params = self.params.copy()
        values = {
            # The ids are the rows' own (integers); SQLite takes them as one JSON text.
            CHUNK_IDS: orjson.dumps(ids).decode() if self.connection.vendor == "sqlite" else ids,
            # An empty chunk still runs its queries (a fixed count per chunk): an empty range.
            CHUNK_LOW: min(ids, default=1),
            CHUNK_HIGH: max(ids, default=0),
        }
        for slot, part in self.slots:
            params[slot] = values[part]
        with self.connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchall()


# For the export's own transaction. Every read is by index by design (articles by primary
# key, spans by article, links by span) and each chunk query is small; without statistics
# (a fresh import before autovacuum, or autovacuum off) PostgreSQL misjudges them and
# chose, per chunk, a parallel sequential scan of the whole link table, JIT-compiled.
# Nested loops: it looped over the labels and read each label's spans through the label
# index (every span of the corpus, for every chunk); the vocabularies and users are a few
# rows, hashed once per query, and the per-span checks are subplans, not joins.
_POSTGRESQL_EXPORT_SETTINGS = (
    "enable_seqscan = off",
    "enable_nestloop = off",
    "max_parallel_workers_per_gather = 0",
    "jit = off",
)


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


def _layer(layer: str) -> dict[str, bool]:
    return {"is_gold": layer == "gold"} if layer in ("annotations", "gold") else {}


class Selection:
    """The querysets for one export: which articles, which annotations, which links."""

    def __init__(self, options: ExportOptions, *, user, using: str):
        # Which spans: live ones (Annotation.objects) that the caller may read (visible_to)
        # and that pass the filters.
        selected = Annotation.objects.using(using).all()
        if user is not None:
            selected = selected.visible_to(user)
        selected = selected.filter(**_layer(options.layer))
        if options.annotator is not None:
            selected = selected.filter(annotator__username=options.annotator)
        if options.label is not None:
            selected = selected.filter(label__slug=options.label)
        if options.since is not None:
            selected = selected.filter(updated_at__gte=options.since)
        if options.project is not None:
            selected = selected.filter(article__project__slug=options.project)
        # Staff (or a command) with no span filter read every live span of the layer: the
        # span's own unindexed columns, applied as they are (the project needs no check per
        # span: spans are only read for exported articles, which are the project's).
        #
        # Otherwise the selection is checked row by row through the primary key, and the
        # chunk queries range over the chunk's articles only. Written as one WHERE clause, a
        # database without statistics (SQLite until someone runs ANALYZE; PostgreSQL before
        # autovacuum has analyzed a fresh import) takes an indexed filter such as
        # annotator_id = 3 or updated_at >= … for a selective one and reads every matching
        # span of the corpus for every chunk: quadratic, 21 s instead of 1 s at 10k
        # articles. A primary-key probe per span costs a few percent.
        if (user is None or is_staff_user(user)) and not (options.annotator or options.label or options.since):
            annotations = Annotation.objects.using(using).filter(**_layer(options.layer))
        else:
            annotations = Annotation.all_objects.using(using).filter(_PerRowExists(selected.filter(pk=OuterRef("pk"))))

        # Which articles: those of the projects the caller sees (an empty one too, unless
        # include_empty=0), of the project asked for.
        articles = Article.objects.using(using).all()
        if user is not None:
            articles = articles.visible_to(user)
        if options.project is not None:
            articles = articles.filter(project__slug=options.project)
        if options.language is not None:
            articles = articles.filter(language=options.language)
        if options.articles:
            articles = articles.filter(pk__in=options.articles)
        if not options.include_empty:
            articles = articles.filter(_PerRowExists(annotations.filter(article_id=OuterRef("pk"))))

        self.annotations: QuerySet = annotations
        self.articles: QuerySet = articles
        self.vendor = connections[using].vendor
        self.using = using
        # Rows are fetched straight from the driver (see _fetch), so each column must come
        # as the renderers take it: timestamps as the database's text (TimestampText),
        # booleans as bool or 0/1 (BOOLEAN), metadata as JSON text.
        self.timestamp = _TIMESTAMP_TEXT.get(self.vendor, iso)
        stamped = self.vendor in _TIMESTAMP_TEXT
        # The project's slug by a primary-key probe per article, not a join: joined, PostgreSQL
        # without statistics sorted every article after the chunk's start (or every article of
        # the project) to take 500 of them, for every chunk; this way it walks the primary key.
        project_slug = Subquery(
            Project.objects.using(using).filter(pk=OuterRef("project_id")).order_by().values("slug")[:1]
        )
        articles_for_rows = articles.annotate(project_slug=project_slug)
        self.articles_for_rows = (
            articles_for_rows.annotate(published_at_raw=TimestampText("published_at")) if stamped else articles_for_rows
        )
        self.article_columns = tuple(
            "published_at_raw" if stamped and name == "published_at" else name
            for name in (_ARTICLE_COLUMNS_WITH_METADATA if options.metadata else _ARTICLE_COLUMNS)
        )
        self.metadata = options.metadata
        raw = {"created_at": TimestampText("created_at"), "updated_at": TimestampText("updated_at")} if stamped else {}
        self.annotations_for_rows = annotations.annotate(**{f"{name}_raw": value for name, value in raw.items()})
        self.span_columns = tuple(f"{name}_raw" if name in raw else name for name in _SPAN_COLUMNS)
        spans = self.annotations_for_rows.filter(_InIds("article_id")).order_by("article_id", "start", "end", "id")
        self.spans = ChunkQuery(spans.values_list(*self.span_columns), using)
        # By the exported spans' ids: through a join or a subquery on the span selection,
        # PostgreSQL chose to hash the whole link table for every chunk.
        links = SourceLink.objects.using(using).filter(_InIds("annotation_id")).order_by("annotation_id", "id")
        self.links = ChunkQuery(links.values_list(*_LINK_COLUMNS), using)
        # By the spans they start from only. With both ends as "IN the chunk's span ids",
        # SQLite probes the (from, to) index with every pair: 25 million probes for a chunk
        # of 5,000 spans (1.8 s). The other end is checked in relation_rows.
        relations = Relation.objects.using(using).filter(_InIds("from_annotation_id"))
        created = "created_at"
        if stamped:
            relations, created = relations.annotate(created_raw=TimestampText("created_at")), "created_raw"
        relation_columns = ("id", "from_annotation_id", "to_annotation_id", "type", created)
        self.relations = ChunkQuery(relations.order_by("id").values_list(*relation_columns), using)

    def article_rows(self, after: int, limit: int) -> list[ArticleRow]:
        rows = _fetch(
            self.articles_for_rows.filter(pk__gt=after).order_by("pk").values_list(*self.article_columns)[:limit]
        )
        if self.metadata:  # a JSON column comes from the driver as its text (Django parses it, we skip Django)
            return [ArticleRow._make((*row[:-1], _json_value(row[-1]))) for row in rows]
        return [ArticleRow(*row) for row in rows]

    def span_rows(self, article_ids: list[int], *, named: bool = True) -> list[SpanRow]:
        """The spans of these articles; ``named=False`` leaves each row the driver's tuple (in
        SpanRow's order) for a renderer that unpacks it: 100,000 spans made into named
        tuples cost a twentieth of an export of 10,000 articles."""
        rows = self.spans.rows(article_ids)
        return list(map(SpanRow._make, rows)) if named else cast(list[SpanRow], rows)

    def link_rows(self, span_ids: list[int]) -> list[tuple]:
        return self.links.rows(span_ids)

    def relation_rows(self, span_ids: list[int]) -> list[RelationRow]:
        """The relations between two exported spans, by id.

        Both ends among the exported spans: a relation to a deleted, filtered-out or
        unreadable span is left out with it, so every id a record names is in the record.
        """
        exported = set(span_ids)
        return [RelationRow._make(row) for row in self.relations.rows(span_ids) if row[2] in exported]


def _fetch(queryset: QuerySet) -> list[tuple]:
    # As ChunkQuery.rows: the driver's rows, in one fetchall.
    sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _json_value(value: object) -> object:
    # psycopg hands jsonb to Django as text (Django registers a text loader); sqlite3 gives text.
    return json.loads(value) if isinstance(value, str | bytes) else value

"""The export as a stream of UTF-8 JSON Lines pieces, one per chunk of articles."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager

import orjson
from django.db import DEFAULT_DB_ALIAS

from annotations.export.options import CLAIM_FORMATS, DEFAULT_CHUNK_SIZE, FIRST_CHUNK_SIZE, ExportOptions
from annotations.export.queries import ArticleRow, RelationRow, Selection, SpanRow, read_snapshot
from annotations.export.renderers import RENDERERS, Renderer
from annotations.text import escape_line_separators

# The standard library's encoder, for the rare record orjson refuses (an integer past 64
# bits in an article's metadata): compact, not ASCII-escaped, like orjson's output.
_fallback = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


def encode_record(record: dict) -> bytes:
    """One record as compact UTF-8 JSON, not ASCII-escaped.

    orjson writes what ``json.dumps(record, ensure_ascii=False, separators=(",", ":"))``
    writes for text, integers, booleans and null, in a tenth of the time. Only floats,
    which only an article's ``metadata`` can hold, may differ in spelling (``1e-7``
    for ``1e-07``) and NaN or infinity become ``null`` (the standard library writes
    ``NaN``, which is not JSON).
    """
    try:
        return orjson.dumps(record)
    except orjson.JSONEncodeError:  # an integer past 64 bits
        return _fallback(record).encode()


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    # A chunk allocates some 400,000 lists, dicts and tuples, none in a cycle; each
    # allocation burst sets off the cyclic collector, which then walks the chunk and, in a
    # process holding Django, a gunicorn worker's other objects: a sixth of the export's
    # time. Paused only while one chunk is built, never while the consumer holds the piece.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _chunk(selection: Selection, renderer: Renderer, articles: list[ArticleRow]) -> bytes:
    """One chunk of articles as JSON Lines (empty when no record comes of it)."""
    spans: dict[int, list[SpanRow]] = {}
    span_ids = []
    # Rows by position (article_id, id, …: SpanRow's order): plain tuples for a renderer
    # that unpacks them (Renderer.named_spans).
    for row in selection.span_rows([row.id for row in articles], named=renderer.named_spans):
        spans.setdefault(row[0], []).append(row)
        span_ids.append(row[1])
    links: dict[int, list[dict]] = {}
    if renderer.needs_links and spans:
        for annotation_id, slug, source_name, url, relation in selection.link_rows(span_ids):
            links.setdefault(annotation_id, []).append(
                {"source": slug, "name": source_name, "url": url or None, "relation": relation}
            )
    extra = {}
    if renderer.needs_relations:
        # Keyed by article: both ends of a relation are in one article.
        article_of = {row[1]: row[0] for rows in spans.values() for row in rows}
        relations: dict[int, list[RelationRow]] = {}
        for relation in selection.relation_rows(span_ids) if spans else ():
            relations.setdefault(article_of[relation.from_id], []).append(relation)
        extra["relations"] = relations
    lines = [encode_record(record) for record in renderer.records(articles, spans, links, **extra)]
    if not lines:
        return b""
    lines.append(b"")
    return escape_line_separators(b"\n".join(lines))


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
    if options.format in CLAIM_FORMATS:
        from annotations.claims.export import claim_export_chunks  # the claims app builds on this package

        yield from claim_export_chunks(options, user=user, chunk_size=chunk_size, using=using)
        return
    with read_snapshot(using):
        selection = Selection(options, user=user, using=using)
        renderer = RENDERERS[options.format](options, timestamp=selection.timestamp)
        after, limit = 0, min(chunk_size, FIRST_CHUNK_SIZE)
        while True:
            with _cyclic_gc_paused():
                articles = selection.article_rows(after, limit)
                piece = _chunk(selection, renderer, articles) if articles else b""
            if piece:
                yield piece
            if len(articles) < limit:
                return
            after, limit = articles[-1].id, chunk_size

"""The export as a stream of UTF-8 JSON Lines pieces, one per chunk of articles."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.db import DEFAULT_DB_ALIAS

from annotations.export.options import CLAIM_FORMATS, DEFAULT_CHUNK_SIZE, FIRST_CHUNK_SIZE, ExportOptions
from annotations.export.queries import RelationRow, Selection, SpanRow, read_snapshot
from annotations.export.renderers import RENDERERS
from annotations.text import escape_line_separators

# Compact separators, no ASCII escaping; one encoder reused (json.dumps builds one per call).
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


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
            articles = selection.article_rows(after, limit)
            if not articles:
                return
            ids = [row.id for row in articles]
            spans: dict[int, list[SpanRow]] = {}
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
            extra = {}
            if renderer.needs_relations:
                # Keyed by article: both ends of a relation are in one article.
                article_of = {row.id: row.article_id for rows in spans.values() for row in rows}
                relations: dict[int, list[RelationRow]] = {}
                for relation in selection.relation_rows(span_ids) if spans else ():
                    relations.setdefault(article_of[relation.from_id], []).append(relation)
                extra["relations"] = relations
            lines = [_encode(record) for record in renderer.records(articles, spans, links, **extra)]
            if lines:
                lines.append("")
                yield escape_line_separators("\n".join(lines)).encode()
            if len(articles) < limit:
                return
            after, limit = articles[-1].id, chunk_size

"""The four record formats: each renderer turns one chunk of article, span and link rows into records."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote

from django.conf import settings

from annotations.export.options import ExportOptions
from annotations.export.queries import BOOLEAN, ArticleRow, SpanRow, iso
from annotations.models import ANNOTATION_CONTENT_FIELDS, ARTICLE_HEAD_FIELDS

W3C_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
QUOTE_CONTEXT = 32  # code points of prefix/suffix in a TextQuoteSelector

ARTICLE_KEYS = (
    *ARTICLE_HEAD_FIELDS,
    "url",
    "publisher",
    "author",
    "published_at",
    "text",
    "text_sha256",
    "annotations",
    "relations",
)
ANNOTATION_KEYS = (
    "id",
    *ANNOTATION_CONTENT_FIELDS,
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
    *ANNOTATION_CONTENT_FIELDS,
    "sources",
    "annotator",
    "created_at",
    "updated_at",
    "is_gold",
)


def pseudonym(username: str) -> str:
    """A stable, non-reversible stand-in for a username (keyed by SECRET_KEY)."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), b"factcheck-export-pseudonym\x00" + username.encode(), hashlib.sha256
    ).hexdigest()
    return "annotator-" + digest[:10]


Record = dict[str, object]


class Renderer:
    """Turns one chunk's rows into records. Subclasses say which rows they need."""

    needs_links = True
    # Renderers that show span relations take them as ``relations``: {article id: [relation]}.
    needs_relations = False
    # False: the renderer unpacks each span row in SpanRow's order, so rows may come as the
    # driver's plain tuples (no field names).
    named_spans = True

    def __init__(self, options: ExportOptions, *, timestamp: Callable[[Any], str | None] = iso):
        self.anonymize = options.anonymize
        self.metadata = options.metadata
        self.timestamp = timestamp  # how timestamps arrive: datetimes, or the database's text (TimestampText)
        self._names: dict[str, str] = {}

    def name(self, username: str) -> str:
        if not self.anonymize:
            return username
        name = self._names.get(username)
        if name is None:
            name = self._names[username] = pseudonym(username)
        return name

    def records(
        self, articles: list[ArticleRow], spans: dict[int, list[SpanRow]], links: dict[int, list]
    ) -> Iterable[Record]:
        raise NotImplementedError

    def span_record(self, span, *, lead, links_key, links):
        """``lead``, then the span's content, its source links under ``links_key``, and who wrote
        it when: the keys of a span in the spans format, in their order, and in the JSON Lines
        format (which writes them out itself, for speed; tests/export checks both lists)."""
        stamp = self.timestamp
        return {
            **lead,
            "start": span.start,
            "end": span.end,
            "text": span.text,
            "label": span.label,
            "claim_type": span.claim_type,
            "checkworthy": BOOLEAN[span.checkworthy],
            "verdict": span.verdict,
            "note": span.note,
            links_key: links,
            "annotator": self.name(span.annotator),
            "created_at": stamp(span.created_at),
            "updated_at": stamp(span.updated_at),
            "is_gold": BOOLEAN[span.is_gold],
        }


class _ArticleRecords(Renderer):
    needs_relations = True
    named_spans = False

    def records(self, articles, spans, links, relations):
        no_spans: list[SpanRow] = []
        no_links: list = []
        stamp, name, anonymize = self.timestamp, self.name, self.anonymize
        for row in articles:
            record = {
                "id": row.id,
                "project": row.project,
                "external_id": row.external_id,
                "title": row.title,
                "language": row.language,
                "direction": row.direction or None,
                "url": row.url or None,
                "publisher": row.publisher or None,
                "author": row.author or None,
                "published_at": stamp(row.published_at),
                "text": row.text,
                "text_sha256": row.text_sha256,
            }
            if self.metadata:
                record["metadata"] = row.metadata
            # span_record's keys, written out: a call and a merged dict per span cost 6 % of
            # the export's instructions; unpacked in SpanRow's order (fields by name cost more).
            record["annotations"] = [
                {
                    "id": span_id,
                    "start": start,
                    "end": end,
                    "text": text,
                    "label": label,
                    "claim_type": claim_type,
                    "checkworthy": BOOLEAN[checkworthy],
                    "verdict": verdict,
                    "note": note,
                    "source_links": links.get(span_id, no_links),
                    "annotator": name(annotator) if anonymize else annotator,
                    "created_at": stamp(created_at),
                    "updated_at": stamp(updated_at),
                    "is_gold": BOOLEAN[is_gold],
                }
                for (
                    _,
                    span_id,
                    start,
                    end,
                    text,
                    label,
                    claim_type,
                    checkworthy,
                    verdict,
                    note,
                    annotator,
                    created_at,
                    updated_at,
                    is_gold,
                ) in spans.get(row.id, no_spans)
            ]
            # Every record has the key, so the records load as one table.
            record["relations"] = [
                {"id": relation.id, "from": relation.from_id, "to": relation.to_id, "type": relation.type}
                for relation in relations.get(row.id, ())
            ]
            yield record


class _DoccanoRecords(Renderer):
    needs_links = False

    def records(self, articles, spans, links):
        no_spans: list[SpanRow] = []
        for row in articles:
            yield {
                "id": row.id,
                "text": row.text,
                "label": [[span.start, span.end, span.label] for span in spans.get(row.id, no_spans)],
            }


class _SpanRecords(Renderer):
    def records(self, articles, spans, links):
        no_links: list = []
        span_record = self.span_record
        for row in articles:
            aid, external_id, language = row.id, row.external_id, row.language
            for span in spans.get(aid, ()):
                yield span_record(
                    span,
                    lead={
                        "article_id": aid,
                        "external_id": external_id,
                        "language": language,
                        "annotation_id": span.id,
                    },
                    links_key="sources",
                    links=[link["source"] for link in links.get(span.id, no_links)],
                )


def article_urn(external_id: str) -> str:
    return "urn:factcheck:article:" + quote(external_id, safe="-._~:")


class _W3CRecords(Renderer):
    """W3C Web Annotation Data Model, one annotation per line.

    Bodies: the label as a ``tagging`` tag; claim type (``classifying``), verdict and
    check-worthiness (``assessing``) as prefixed tags (``claim_type:quantity``,
    ``verdict:false``, ``checkworthy:yes``) so they cannot be mistaken for one another;
    the note as a ``commenting`` body; each source link as a ``linking`` SpecificResource
    (the report's URL, else ``urn:factcheck:source:<slug>``) plus a tag
    ``source:<slug>:<relation>``; gold spans carry the tag ``layer:gold``.

    A span relation is one more annotation after the article's spans: its target is the
    attribution's annotation, its body a ``linking`` SpecificResource (the claim's
    annotation) and a tag ``relation:<type>``; the creator is the layer's annotator.
    """

    needs_relations = True

    def records(self, articles, spans, links, relations):
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
            annotator = {span.id: span.annotator for span in article_spans}
            for relation in relations.get(row.id, ()):
                created = stamp(relation.created_at)
                yield {
                    "@context": W3C_CONTEXT,
                    "id": f"urn:factcheck:relation:{relation.id}",
                    "type": "Annotation",
                    "created": created,
                    "modified": created,
                    "creator": {"type": "Person", "nickname": name(annotator[relation.from_id])},
                    "body": [
                        {
                            "type": "SpecificResource",
                            "purpose": "linking",
                            "source": f"urn:factcheck:annotation:{relation.to_id}",
                        },
                        {"type": "TextualBody", "purpose": "tagging", "value": "relation:" + relation.type},
                    ],
                    # The same keys and shapes as a span's record, so the lines load as one table.
                    "target": {"source": f"urn:factcheck:annotation:{relation.from_id}", "selector": []},
                }


RENDERERS: dict[str, type[Renderer]] = {
    "jsonl": _ArticleRecords,
    "doccano": _DoccanoRecords,
    "spans": _SpanRecords,
    "w3c": _W3CRecords,
}

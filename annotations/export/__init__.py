"""Corpus export: the annotated corpus as JSON Lines, for the API and ``export_corpus``.

Formats (one JSON object per line, UTF-8, not ASCII-escaped):

- ``jsonl``: one record per article with its annotations (the record in DESIGN.md);
- ``doccano``: ``{"id", "text", "label": [[start, end, label], ...]}`` per article;
- ``spans``: one flat record per annotation, article fields repeated, for pandas;
- ``w3c``: one W3C Web Annotation per annotation.

The export streams: articles are read in keyset-paginated chunks (``id > last``) with
four queries per chunk whatever the chunk holds (the articles; their annotations with
label, claim type, verdict and annotator joined in; those annotations' source links with
their sources; the relations between them), rows are fetched as tuples and turned into JSON without model instances
or serializers, and the whole export reads one snapshot of the database (see
:func:`read_snapshot`). Memory stays bounded by one chunk. docs/export.md has the record
formats and the measurements.
"""

from annotations.export.options import (
    DEFAULT_CHUNK_SIZE,
    FORMATS,
    LAYERS,
    ExportOptions,
    parse_export_options,
)
from annotations.export.renderers import ANNOTATION_KEYS, ARTICLE_KEYS, SPAN_KEYS
from annotations.export.stream import export_chunks

__all__ = [
    "ANNOTATION_KEYS",
    "ARTICLE_KEYS",
    "DEFAULT_CHUNK_SIZE",
    "FORMATS",
    "LAYERS",
    "SPAN_KEYS",
    "ExportOptions",
    "export_chunks",
    "parse_export_options",
]

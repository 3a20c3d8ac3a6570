"""Getting articles in: one engine for ``import_articles``, the upload job and the admin.

``import_file`` / ``import_stream`` read a file in one of ``FORMATS``, check every record
with the workbench's rules and write it in batches, one transaction per file.
"""

from annotations.importing.engine import ImportFileError, ImportSummary, import_file, import_stream
from annotations.importing.formats import (
    ARTICLE_TEXT_MAX_CHARS,
    FORMATS,
    SUFFIXES,
    detect_format,
)
from annotations.importing.html import html_to_text
from annotations.importing.normalize import guess_language

__all__ = [
    "ARTICLE_TEXT_MAX_CHARS",
    "FORMATS",
    "SUFFIXES",
    "ImportFileError",
    "ImportSummary",
    "detect_format",
    "guess_language",
    "html_to_text",
    "import_file",
    "import_stream",
]

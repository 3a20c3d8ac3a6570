"""The one way tests make a span: through the annotation services, as every real path does."""

from __future__ import annotations

from annotations import services
from annotations.models import Annotation, Article


def make_span(
    article: Article, annotator, where: int | str, end: int | None = None, label="claim", **fields
) -> Annotation:
    """A span from ``where`` to ``end`` (code points), or over the first ``where`` phrase in the text."""
    if isinstance(where, str):
        start = article.text.index(where)
        end = start + len(where)
    else:
        start = where
    return services.annotation_create(article=article, annotator=annotator, start=start, end=end, label=label, **fields)

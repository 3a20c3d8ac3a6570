"""The offset rule, in one place.

``start``/``end`` are Unicode code point offsets into ``Article.text``, end exclusive,
as in Python slicing and the W3C TextPositionSelector: for every stored span
``article.text[start:end] == annotation.text``. The API, the importer, the admin and
the services all call :func:`check_span`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError


def check_span(text: str, start: object, end: object, span_text: str | None = None) -> str:
    """Validate a span against ``text`` and return the text it covers.

    Raises ``ValidationError`` with a message per field (``start``, ``end``, ``text``).
    """
    # The common case, decided at once (an import checks hundreds of thousands of spans).
    if type(start) is int and type(end) is int and 0 <= start < end <= len(text):
        covered = text[start:end]
        if span_text is None or span_text == covered:
            return covered
    errors: dict[str, str] = {}
    for name, value in (("start", start), ("end", end)):
        # bool is an int subclass; True as an offset is a client bug, not 1.
        if not isinstance(value, int) or isinstance(value, bool):
            errors[name] = f"{name} must be a whole number of Unicode code points."
    if errors:
        raise ValidationError(errors)
    assert isinstance(start, int) and isinstance(end, int)
    length = len(text)
    if start < 0:
        errors["start"] = "start must be 0 or more."
    elif start > length:
        errors["start"] = f"start {start} is past the end of the text ({length} code points)."
    if end > length:
        errors["end"] = f"end {end} is past the end of the text ({length} code points)."
    elif end < start:
        errors["end"] = f"end {end} is before start {start}."
    elif end == start:
        errors["end"] = "A span may not be empty: end must be greater than start."
    if errors:
        raise ValidationError(errors)
    covered = text[start:end]
    if span_text is not None and span_text != covered:
        raise ValidationError(
            {"text": f"text does not match the article at [{start}:{end}] (code points); the article has {covered!r}."}
        )
    return covered

"""JSON for the pages: what the annotate and review pages embed to draw themselves.

A long article with thousands of spans is megabytes of JSON, so it is written compactly:
UTF-8 as is (an Arabic article escaped as ``\\uXXXX`` is three times its size) and no
spaces. As in ``django.utils.html.json_script``, ``<``, ``>`` and ``&`` are escaped, so the
text cannot close the script element; with ``str.replace`` rather than its
``str.translate``, which takes half a second on megabytes of non-ASCII text.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def page_json(value: Any, element_id: str) -> SafeString:
    """``<script id=… type="application/json">`` holding ``value``."""
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("&", "\\u0026").replace("<", "\\u003C").replace(">", "\\u003E")
    # Safe: the three characters that could end the element or start markup are escaped above.
    return format_html('<script id="{}" type="application/json">{}</script>', element_id, mark_safe(text))  # noqa: S308


def api_timestamps() -> Callable[[datetime], str]:
    """A formatter giving what DRF's DateTimeField gives (ISO 8601 in the current time zone,
    "Z" for UTC) without looking the time zone up again for every value: with 5,000 spans
    those lookups were most of the annotate page's server time."""
    zone = timezone.get_current_timezone()

    def format_timestamp(value: datetime) -> str:
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return format_timestamp

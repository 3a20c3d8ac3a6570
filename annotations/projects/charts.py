"""Charts drawn on the server as inline SVG: this module computes the geometry, the
templates (templates/projects/_bars.svg.html, _columns.svg.html) draw it. Colours come
from CSS variables and ``currentColor``, so the charts follow the light and dark themes."""

from __future__ import annotations

import re
from dataclasses import dataclass

from annotations.projects.selectors import Bar

WIDTH = 480
BAR_HEIGHT = 24
GAP = 8
LABEL_WIDTH = 150
VALUE_WIDTH = 60
COLUMN_HEIGHT = 120
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass
class BarShape:
    name: str
    value: str
    note: str
    y: int
    text_y: int
    width: float
    color: str  # a validated #rrggbb, or "" for the theme's accent


def _shown(value: int | float) -> str:
    return str(value) if isinstance(value, int) else f"{value:.3f}"


def bars(data: list[Bar], *, maximum: float | None = None) -> dict:
    """Horizontal bars, one per item, scaled to the largest value (or ``maximum``)."""
    top = maximum if maximum is not None else max((bar.value for bar in data), default=0)
    span = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    shapes = []
    for i, bar in enumerate(data):
        y = i * (BAR_HEIGHT + GAP)
        width = 0.0 if not top else max(0.0, min(1.0, bar.value / top)) * span
        shapes.append(
            BarShape(
                name=bar.name,
                value=_shown(bar.value),
                note=bar.note,
                y=y,
                text_y=y + BAR_HEIGHT - 6,
                width=round(width, 1),
                color=bar.color if _HEX.match(bar.color or "") else "",
            )
        )
    height = max(len(data) * (BAR_HEIGHT + GAP) - GAP, BAR_HEIGHT)
    return {
        "bars": shapes,
        "width": WIDTH,
        "height": height,
        "bar_x": LABEL_WIDTH,
        "track_width": span,
        "value_x": WIDTH - VALUE_WIDTH + 8,
        "bar_height": BAR_HEIGHT,
        "empty": not any(bar.value for bar in data),
    }


@dataclass
class ColumnShape:
    name: str
    value: int
    x: float
    y: float
    height: float


def columns(data: list[Bar]) -> dict:
    """Vertical columns (e.g. spans per day), scaled to the largest value."""
    top = max((bar.value for bar in data), default=0)
    step = WIDTH / max(len(data), 1)
    shapes = []
    for i, bar in enumerate(data):
        height = 0.0 if not top else bar.value / top * COLUMN_HEIGHT
        shapes.append(
            ColumnShape(
                name=bar.name,
                value=int(bar.value),
                x=round(i * step + 1, 1),
                y=round(COLUMN_HEIGHT - height, 1),
                height=round(height, 1),
            )
        )
    return {
        "columns": shapes,
        "width": WIDTH,
        "height": COLUMN_HEIGHT,
        "column_width": round(max(step - 2, 1), 1),
        "axis_y": COLUMN_HEIGHT + 14,
        "first": data[0].name if data else "",
        "last": data[-1].name if data else "",
        "top": int(top),
        "empty": not top,
    }

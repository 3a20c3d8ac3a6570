"""Counters kept as the fields of a dataclass: an import's summary, a progress tally, a score."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Self


@dataclass
class Counts:
    """Whole-number fields that add up: ``total += part`` adds each of ``part``'s to ``total``'s."""

    def __iadd__(self, other: Self) -> Self:
        for item in fields(self):
            self.count(item.name, getattr(other, item.name))
        return self

    def count(self, name: str, n: int = 1) -> None:
        setattr(self, name, getattr(self, name) + n)

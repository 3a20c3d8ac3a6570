"""Fixtures for the REST API tests: spans made through the services, row counts."""

import pytest

from annotations.models import Annotation, Source, SourceLink
from tests.factories import make_span

CLAIM = {"start": 57, "end": 80, "text": "12 milliards de dollars"}  # in the `article` fixture's text


@pytest.fixture
def make_annotation(article, reuters):
    def make(annotator, *, start=57, end=80, label="claim", links=None, target=None, **fields):
        return make_span(
            target or article,
            annotator,
            start,
            end,
            label=label,
            source_links=links if links is not None else [{"source": "reuters", "relation": "attributed"}],
            **fields,
        )

    return make


def row_counts() -> tuple[int, int, int]:
    """Every row a refused write could leave behind, deleted spans included."""
    return Annotation.all_objects.count(), SourceLink.objects.count(), Source.objects.count()

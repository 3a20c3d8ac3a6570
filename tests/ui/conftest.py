import json
import re

import pytest

from annotations.models import Article
from tests.factories import make_span

_DATA = re.compile(r'<script id="annotator-data" type="application/json">(.*?)</script>', re.S)


def page_data(response) -> dict:
    """The JSON the annotate page embeds for its script."""
    match = _DATA.search(response.content.decode())
    assert match, "the page embeds no annotator-data"
    return json.loads(match.group(1))


@pytest.fixture
def make_article(vocabulary):
    counter = iter(range(1, 10_000))

    def make(**fields) -> Article:
        n = next(counter)
        values = {
            "external_id": f"ui-{n}",
            "title": f"Article {n}",
            "text": "Selon Reuters, le café coûte 12 milliards de dollars.",
            "language": "fr",
            "publisher": "Le Test",
        }
        values.update(fields)
        return Article.objects.create(**values)

    return make


@pytest.fixture
def span():
    def make(article, user, start=0, end=13, label="claim", **extra):
        return make_span(article, user, start, end, label=label, **extra)

    return make

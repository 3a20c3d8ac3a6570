"""Spans made through the services for the relation and suggestion tests."""

import pytest

from annotations import services
from annotations.models import Article
from tests.browser.conftest import open_page as open_page  # the browser tests' fixture, for test_browser.py

# In the `article` fixture's text:
# "Selon Reuters, OpenAI a signé un accord. 🎉 Le café coûte 12 milliards de dollars.\nFin."
ATTRIBUTION = {"start": 0, "end": 13, "label": "attribution"}  # "Selon Reuters"
CLAIM = {"start": 15, "end": 39, "label": "claim"}  # "OpenAI a signé un accord"


@pytest.fixture
def span(article, reuters):
    def make(annotator, *, target: Article | None = None, is_gold: bool = False, **where):
        return services.annotation_create(article=target or article, annotator=annotator, is_gold=is_gold, **where)

    return make


@pytest.fixture
def other_article(vocabulary) -> Article:
    return Article.objects.create(
        external_id="other-article",
        title="Autre",
        text="Selon Reuters, OpenAI a signé un accord. 🎉 Le café coûte 12 milliards de dollars.\nFin.",
        language="fr",
    )

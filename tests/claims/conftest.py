"""Claims in the `seed` project: alice and bob annotate, vera reviews (by membership), olga
belongs to no project; `other` is a second project with a span of its own."""

import json
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from annotations.models import Article, Membership, Project, Role, Verdict
from annotations.services import annotation_create
from annotations.vocabulary import install_defaults
from tests.browser.conftest import open_page  # noqa: F401 - the browser test of claims lives with them

LABELLED = Path(__file__).resolve().parent / "seed_claims.json"


@pytest.fixture
def vera(seed_project) -> User:
    user = User.objects.create_user("vera", "vera@example.org", "vera-password")
    Membership.objects.create(project=seed_project, user=user, role=Role.REVIEWER)
    return user


@pytest.fixture
def olga(vocabulary) -> User:
    return User.objects.create_user("olga", "olga@example.org", "olga-password")


@pytest.fixture
def other_project(vocabulary) -> Project:
    from django.contrib.auth.models import Group

    from annotations.models import ClaimType, Label

    project = Project.objects.create(slug="other", name="Another campaign")
    install_defaults(Label, ClaimType, Verdict, Group, project=project)
    return project


@pytest.fixture
def other_span(other_project, bob):
    Membership.objects.create(project=other_project, user=bob, role=Role.ANNOTATOR)
    article = Article.objects.create(
        project=other_project, external_id="other-1", title="Autre", text="Le ciel est vert.", language="fr"
    )
    return annotation_create(article=article, annotator=bob, start=0, end=8, label="claim")


@pytest.fixture
def span(article, alice):
    """alice's span "Selon Reuters, OpenAI a signé un accord." in the French test article."""
    return annotation_create(article=article, annotator=alice, start=0, end=40, label="claim")


@pytest.fixture
def second_span(article, alice):
    return annotation_create(article=article, annotator=alice, start=43, end=81, label="claim")


@pytest.fixture
def bobs_span(article, bob):
    return annotation_create(article=article, annotator=bob, start=15, end=40, label="claim")


@pytest.fixture
def labelled() -> dict:
    """The hand-labelled claims of the seed articles (tests/claims/seed_claims.json) by key."""
    return {claim["key"]: claim for claim in json.loads(LABELLED.read_text(encoding="utf-8"))["claims"]}


@pytest.fixture
def seed_span(seeds, labelled):
    """``seed_span(user, key, index)``: the user's span over a labelled appearance of a seed article."""

    def make(user, key, index=0):
        appearance = labelled[key]["appearances"][index]
        article = Article.objects.get(external_id=appearance["article"])
        return annotation_create(
            article=article,
            annotator=user,
            start=appearance["start"],
            end=appearance["end"],
            text=appearance["text"],
            label="claim",
        )

    return make

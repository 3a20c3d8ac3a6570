"""Two projects side by side: `seed` (alice and bob annotate) and `health` (hana annotates,
mona manages, rhea reviews), for the isolation and project tests."""

import pytest
from django.contrib.auth.models import User

from annotations.models import Article, Role
from annotations.projects.services import membership_set, project_create
from annotations.services import annotation_create


@pytest.fixture
def mona(vocabulary) -> User:
    return User.objects.create_user("mona", "mona@example.org", "mona-password")


@pytest.fixture
def hana(vocabulary) -> User:
    return User.objects.create_user("hana", "hana@example.org", "hana-password")


@pytest.fixture
def rhea(vocabulary) -> User:
    return User.objects.create_user("rhea", "rhea@example.org", "rhea-password")


@pytest.fixture
def health(mona, hana, rhea):
    project = project_create(slug="health", name="Health misinformation", languages=["fr"], creator=mona)
    membership_set(project=project, user=hana, role=Role.ANNOTATOR)
    membership_set(project=project, user=rhea, role=Role.REVIEWER)
    return project


@pytest.fixture
def health_article(health) -> Article:
    return Article.objects.create(
        project=health,
        external_id="vaccins-001",
        title="Vaccins",
        text="Selon l'OMS, 12 millions de doses ont été livrées.",
        language="fr",
    )


@pytest.fixture
def health_span(health_article, hana):
    return annotation_create(article=health_article, annotator=hana, start=0, end=11, label="claim")


@pytest.fixture
def seed_span(article, alice):
    return annotation_create(article=article, annotator=alice, start=0, end=13, label="attribution")


@pytest.fixture
def make_span(seed_project):
    """``make_span(article, user)``: a span over the article's first five characters, as if
    ``user`` had written it while a member (straight through the service)."""

    def make(article, user, start=0, end=5, label="claim"):
        return annotation_create(article=article, annotator=user, start=start, end=end, label=label)

    return make

"""Fixtures for the several-annotators tests: a third annotator and a span helper."""

import pytest
from django.contrib.auth.models import Group, User

from annotations.models import Membership
from tests.factories import make_span


@pytest.fixture
def carol(vocabulary, seed_project) -> User:
    user = User.objects.create_user("carol", "carol@example.org", "carol-password")
    user.groups.add(Group.objects.get(name="annotator"))
    Membership.objects.create(project=seed_project, user=user, role="annotator")
    return user


@pytest.fixture
def mark():
    """``mark(article, user, start, end, label="claim", **fields)``: a span through the services."""

    return make_span
